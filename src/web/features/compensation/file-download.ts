/** Saving a file the API answers (a real download with the session cookie), its refusal as an ApiError. */
import { ApiError } from '../../app/api.js';

/** The file's name from Content-Disposition (its UTF-8 `filename*` first), else `fallback`. */
export function dispositionName(header: string | null, fallback: string): string {
  const star = header && /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = header && /filename="([^"]+)"/i.exec(header);
  return plain?.[1] ?? fallback;
}

/**
 * Fetches a file with the session cookie and saves it (a real download); a refusal (a payee without a
 * bank card, nothing left to pay) comes back as the problem, shown like any other.
 */
export async function download(url: string, fallback: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError({ type: 'tocsin:network', title: 'network', status: 0 });
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as Partial<ApiError['problem']>;
    throw new ApiError({ type: 'about:blank', title: res.statusText, ...body, status: body.status ?? res.status });
  }
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = dispositionName(res.headers.get('content-disposition'), fallback);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
