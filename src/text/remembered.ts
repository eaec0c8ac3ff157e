/**
 * A text computed once per key (by default the input itself), then
 * remembered: for a printout's thousand rows that share a few dates, spans
 * and labels.
 */
export function remembered<Input, Key = Input>(compute: (input: Input) => string, keyOf: (input: Input) => Key = (input) => input as unknown as Key): (input: Input) => string {
  const texts = new Map<Key, string>();
  return (input) => {
    const key = keyOf(input);
    let text = texts.get(key);
    if (text === undefined) texts.set(key, (text = compute(input)));
    return text;
  };
}
