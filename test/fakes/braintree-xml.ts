/**
 * Braintree's XML, as its gateway writes it and its SDKs read it: dashed element names,
 * `type="integer|boolean|datetime|array|collection"` attributes, `nil="true"` for null.
 * Used by the fake Braintree (braintree.ts).
 */

/** A value to write: text, a typed scalar, null (nil), a nested element, or an array. */
export type Xml = string | number | boolean | Date | null | XmlArray | XmlElement;
export interface XmlElement {
  readonly [name: string]: Xml | undefined;
}

/** `<name type="array"><item>…</item>…</name>`: each item written under `itemName`. */
export class XmlArray {
  constructor(
    readonly itemName: string,
    readonly items: readonly Xml[],
  ) {}
}

/** Braintree's paged lists: `type="collection"` with paging fields and repeated items. */
export class XmlCollection {
  constructor(
    readonly fields: XmlElement,
    readonly itemName: string,
    readonly items: readonly Xml[],
  ) {}
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function element(name: string, value: Xml | XmlCollection | undefined): string {
  if (value === undefined) return '';
  if (value === null) return `<${name} nil="true"/>`;
  if (typeof value === 'string') return value === '' ? `<${name}></${name}>` : `<${name}>${escape(value)}</${name}>`;
  if (typeof value === 'number') return `<${name} type="integer">${value}</${name}>`;
  if (typeof value === 'boolean') return `<${name} type="boolean">${value}</${name}>`;
  if (value instanceof Date) return `<${name} type="datetime">${value.toISOString().replace(/\.\d{3}Z$/, 'Z')}</${name}>`;
  if (value instanceof XmlArray) {
    if (value.items.length === 0) return `<${name} type="array"/>`;
    return `<${name} type="array">${value.items.map((item) => element(value.itemName, item)).join('')}</${name}>`;
  }
  if (value instanceof XmlCollection) {
    const fields = Object.entries(value.fields).map(([key, field]) => element(key, field));
    return `<${name} type="collection">${fields.join('')}${value.items.map((item) => element(value.itemName, item)).join('')}</${name}>`;
  }
  return `<${name}>${Object.entries(value)
    .map(([key, child]) => element(key, child))
    .join('')}</${name}>`;
}

export function document(name: string, value: Xml | XmlCollection): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(name, value)}\n`;
}

/** One validation error, as listed under the object it concerns. */
export interface FakeValidationError {
  /** The object's element, e.g. 'transaction', 'payment-method', 'credit-card', 'customer'. */
  on: string;
  code: string;
  attribute: string;
  message: string;
}

/**
 * Braintree's 422 answer: validation errors nested under their objects, and/or the
 * declined transaction or failed verification, with `message` summing it up.
 */
export function apiErrorResponse(options: { message: string; errors?: readonly FakeValidationError[]; transaction?: XmlElement; verification?: XmlElement }): string {
  const errors = options.errors ?? [];
  const nested: Record<string, XmlElement> = {};
  for (const on of new Set(errors.map((error) => error.on))) {
    const list = errors.filter((error) => error.on === on).map((error) => ({ code: error.code, attribute: error.attribute, message: error.message }));
    nested[on] = { errors: new XmlArray('error', list) };
  }
  // The attribute is a symbol in Braintree's XML; written as text it parses the same.
  return document('api-error-response', {
    errors: { errors: new XmlArray('error', []), ...nested },
    ...(options.verification ? { verification: options.verification } : {}),
    ...(options.transaction ? { transaction: options.transaction } : {}),
    message: options.message,
  });
}
