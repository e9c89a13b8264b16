type ParameterValue = string | number | boolean | (string | number)[];

const UNITS: [suffix: string, unit: string][] = [
  ['_khz', 'kHz'],
  ['_hz', 'Hz'],
  ['_dbfs', 'dBFS'],
  ['_dbtp', 'dBTP'],
  ['_lufs', 'LUFS'],
  ['_lu', 'LU'],
  ['_db', 'dB'],
  ['_ms', 'ms'],
  ['_seconds', 's'],
  ['_percent', '%'],
  ['_bpm', 'BPM'],
  ['_bars', 'bars'],
  ['_semitones', 'semitones'],
  ['_cents', 'cents'],
  ['_cm', 'cm'],
  ['_us', 'µs'],
  ['_minutes', 'min'],
  ['_s', 's'],
  ['_m', 'm'],
];

function split(key: string): { label: string; unit: string } {
  let name = key.replace(/_range$/, '');
  let unit = '';
  for (const [suffix, u] of UNITS) {
    if (name.endsWith(suffix)) {
      name = name.slice(0, -suffix.length);
      unit = u;
      break;
    }
  }
  const label = name.replace(/_/g, ' ');
  return { label: label.charAt(0).toUpperCase() + label.slice(1), unit };
}

/** "150-210", but "-4 to -2" when a sign would make the dash ambiguous. */
export const numberRange = (a: number, b: number) => (a < 0 || b < 0 ? `${a} to ${b}` : `${a}-${b}`);

function formatValue(value: ParameterValue, unit: string): string {
  const u = unit ? (unit === '%' ? '%' : ` ${unit}`) : '';
  if (Array.isArray(value)) {
    if (value.length === 2 && value.every((v) => typeof v === 'number'))
      return `${numberRange(value[0] as number, value[1] as number)}${u}`;
    return value.join(', ') + u;
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return `${value}${u}`;
}

/** An entry's structured parameters as a markdown list a musician can dial in: "Frequency: 60–80 Hz". */
export function parameterLines(
  parameters: Record<string, ParameterValue>,
  max = 8,
  skip: (key: string) => boolean = () => false,
): string[] {
  return Object.entries(parameters)
    .filter(([key]) => !skip(key))
    .slice(0, max)
    .map(([key, value]) => {
      const { label, unit } = split(key);
      return `- ${label}: ${formatValue(value, unit)}`;
    });
}
