// A small element builder: el('td', {dataset: {field: 'rank'}}, '1').

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') {
      for (const [name, v] of Object.entries(value)) if (v !== undefined && v !== null) node.dataset[name] = v;
    }
    else if (key === 'className') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export const $ = (selector) => document.querySelector(selector);

// Shows an API error ({code, message, violations}) in `target`; null hides it.
export function showError(target, error) {
  if (!target) return;
  target.replaceChildren();
  if (!error) {
    target.hidden = true;
    return;
  }
  target.append(el('strong', {}, error.code || 'ERROR'), ': ', error.message || String(error));
  const violations = error.violations || [];
  if (violations.length) {
    target.append(
      el(
        'ul',
        {},
        violations.map((v) => el('li', {}, [v.field || v.subject || v.type, v.description].filter(Boolean).join(': '))),
      ),
    );
  }
  target.hidden = false;
}
