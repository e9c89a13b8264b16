/** Small unit helpers shared by the DSP modules. Pure functions, no allocation. */

/** 10·log10(power); -Infinity for zero or negative power. */
export function powerToDb(power: number): number {
  return power > 0 ? 10 * Math.log10(power) : -Infinity;
}

/** 20·log10(|amplitude|); -Infinity for zero. */
export function amplitudeToDb(amplitude: number): number {
  const a = Math.abs(amplitude);
  return a > 0 ? 20 * Math.log10(a) : -Infinity;
}

/** Inverse of powerToDb. */
export function dbToPower(db: number): number {
  return Math.pow(10, db / 10);
}

/** Inverse of amplitudeToDb. */
export function dbToAmplitude(db: number): number {
  return Math.pow(10, db / 20);
}

/**
 * JSON has no Infinity/NaN: the whole-file report carries `null` for "no value" (silence, too short, mono-only
 * figures). Rounds to `digits` decimals to keep reports readable and stable.
 */
export function finiteOrNull(value: number, digits = 4): number | null {
  if (!Number.isFinite(value)) return null;
  const scale = Math.pow(10, digits);
  return Math.round(value * scale) / scale;
}
