/** A multipart/form-data body as a browser sends it: the fields first, in order, then each file as a part `file`. */
export interface UploadFile {
  name: string;
  bytes: Uint8Array;
  /** The part's Content-Type (the browser's guess); application/octet-stream when absent. */
  type?: string;
}

export async function multipartBody(
  fields: Record<string, string>,
  files: UploadFile | UploadFile[] = [],
): Promise<{ payload: Buffer; contentType: string }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const f of Array.isArray(files) ? files : [files])
    fd.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  const req = new Request('http://x/', { method: 'POST', body: fd });
  return { payload: Buffer.from(await req.arrayBuffer()), contentType: req.headers.get('content-type')! };
}
