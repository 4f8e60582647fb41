// The reporting service's JSON API (protobuf's JSON mapping: lowerCamelCase fields,
// enums by name, int64 as strings). Errors answer {code, message, violations}; they are
// raised as ApiError so the page can show them.

export class ApiError extends Error {
  constructor(status, body, fallback) {
    const message = (body && body.message) || fallback || `HTTP ${status}`;
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = (body && body.code) || (status ? `HTTP_${status}` : 'NETWORK');
    this.violations = (body && Array.isArray(body.violations) && body.violations) || [];
  }
}

async function request(method, path, body) {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, null, `cannot reach the reporting service (${e.message})`);
  }
  const text = await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page): keep the text as the message.
    }
  }
  if (!res.ok) throw new ApiError(res.status, json, text.slice(0, 300));
  if (json === null) throw new ApiError(res.status, null, 'the response is not JSON');
  return json;
}

const enc = encodeURIComponent;
const portfolioPath = (p) => `/api/v1/portfolios/${enc(p)}`;

export const api = {
  dashboard: (p) => request('GET', `${portfolioPath(p)}/dashboard`),
  kpis: (p, period) => request('GET', `${portfolioPath(p)}/kpis${period ? `?period=${enc(period)}` : ''}`),
  insights: (p) => request('GET', `${portfolioPath(p)}/insights`),
  reviews: (p) => request('GET', `${portfolioPath(p)}/reviews`),
  recordDecision: (reviewId, body) => request('POST', `/api/v1/reviews/${enc(reviewId)}/decisions`, body),
  csvUrl: (p) => `${portfolioPath(p)}/dashboard.csv`,
  streamUrl: (p) => `${portfolioPath(p)}/stream`,
};
