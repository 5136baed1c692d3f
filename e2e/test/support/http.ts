/** A small JSON client of the gateway's HTTP API, as any outside program would use it. */
export interface Answer<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface Api {
  readonly baseUrl: string;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string },
  ): Promise<Answer<T>>;
  login(email: string, password: string): Promise<string>;
  /** A file as its bytes (a PDF, a Shift_JIS transfer file), untouched. */
  download(path: string, token: string): Promise<Download>;
}

export interface Download {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Uint8Array;
}

export const apiAt = (baseUrl: string): Api => {
  const api: Api = {
    baseUrl,
    async request<T>(
      method: string,
      path: string,
      options: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
    ) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined;
      if (options.rawBody !== undefined) body = options.rawBody;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? {} : JSON.parse(text);
      } catch {
        // Not JSON (the docs page): the text itself.
      }
      return { status: response.status, headers: response.headers, body: parsed as T };
    },
    async login(email: string, password: string) {
      const answer = await api.request<{ accessToken: string }>('POST', '/v1/auth/login', {
        body: { email, password },
      });
      if (answer.status !== 200)
        throw new Error(`login of ${email} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body.accessToken;
    },
    async download(path: string, token: string) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return {
        status: response.status,
        headers: response.headers,
        bytes: new Uint8Array(await response.arrayBuffer()),
      };
    },
  };
  return api;
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks until `probe` gives a value (not undefined), or fails after `timeoutMs`. */
export const eventually = async <T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
};
