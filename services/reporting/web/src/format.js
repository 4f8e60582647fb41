// Display formats for the dashboard's numbers and enum names.

export const DASH = '–';

export function percent(share) {
  if (share === undefined || share === null || Number.isNaN(share)) return DASH;
  return `${Number((share * 100).toFixed(1))}%`;
}

export function number(v, digits = 1) {
  if (v === undefined || v === null) return DASH;
  return Number(v).toLocaleString(undefined, { maximumFractionDigits: digits });
}

export function money(v, currency) {
  if (v === undefined || v === null) return DASH;
  try {
    if (currency) {
      return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(v);
    }
  } catch {
    // An unknown currency code: plain number below.
  }
  return number(v, 0) + (currency ? ` ${currency}` : '');
}

export function days(v) {
  if (v === undefined || v === null) return DASH;
  if (v === 0) return 'on time';
  return v > 0 ? `${v} d late` : `${-v} d early`;
}

// "DECISION_STOP" → "STOP", "RECOMMENDATION_PIVOT" → "PIVOT"; unspecified → "".
export function enumName(value, prefix) {
  if (!value || value.endsWith('_UNSPECIFIED')) return '';
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

export function title(words) {
  return words ? words.charAt(0) + words.slice(1).toLowerCase().replaceAll('_', ' ') : '';
}

export function timestamp(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? ts : d.toLocaleString();
}

export function kpiValue(kpi) {
  if (kpi.value === undefined || kpi.value === null) return DASH;
  switch (kpi.unit) {
    case 'share':
      return percent(kpi.value);
    case 'hours':
      return `${number(kpi.value)} h`;
    case 'ratio':
      return number(kpi.value, 2);
    default:
      return number(kpi.value, 0);
  }
}
