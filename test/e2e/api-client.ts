/** A signed-in HTTP client for seeding data in browser tests and screenshot runs (cookie + CSRF header). */
export interface ApiClient {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export async function signInApi(baseUrl: string, email: string, password: string): Promise<ApiClient> {
  const res = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const r = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`${method} ${path} answered ${r.status}: ${await r.text()}`);
      return (r.status === 204 ? undefined : await r.json()) as T;
    },
  };
}
