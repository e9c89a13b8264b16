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

function formatValue(value: ParameterValue, unit: string): string {
  const u = unit ? (unit === '%' ? '%' : ` ${unit}`) : '';
  if (Array.isArray(value)) {
    if (value.length === 2 && value.every((v) => typeof v === 'number')) return `${value[0]}–${value[1]}${u}`;
    return value.join(', ') + u;
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return `${value}${u}`;
}

/** An entry's structured parameters as a markdown list a musician can dial in: "Frequency: 60–80 Hz". */
export function parameterLines(parameters: Record<string, ParameterValue>, max = 8): string[] {
  return Object.entries(parameters)
    .slice(0, max)
    .map(([key, value]) => {
      const { label, unit } = split(key);
      return `- ${label}: ${formatValue(value, unit)}`;
    });
}
