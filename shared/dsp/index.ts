/**
 * Codette DSP library: loudness (ITU-R BS.1770-4 / EBU R128 / Tech 3342), true peak, levels, spectrum, tempo, key,
 * WAV I/O. Pure TypeScript on typed arrays: runs in Node, the browser and an AudioWorklet.
 */
export { analyzeAudio, type AnalyzeOptions, type AnalysisReport } from './analyze';
export { AudioAnalyzer } from './analyzer';
export { LoudnessMeter, type LoudnessMeterOptions, type MeterReading } from './meter';
export {
  decodeWav,
  encodeWav,
  WavError,
  type DecodedWav,
  type DecodeWavOptions,
  type EncodeWavOptions,
  type WavEncoding,
  type WavErrorCode,
  type WavSampleFormat,
} from './wav';
export {
  kWeightingCoefficients,
  kWeightingGain,
  KWeightingFilter,
  type Biquad,
  type KWeightingCoefficients,
} from './k-weighting';
export {
  ABSOLUTE_GATE_LUFS,
  RELATIVE_GATE_LU,
  LRA_RELATIVE_GATE_LU,
  defaultChannelWeights,
  gatedLoudness,
  loudnessRange,
  measureLoudness,
  powerToLufs,
  lufsToPower,
  type LoudnessFigures,
} from './loudness';
export { TruePeakDetector, designInterpolator, defaultInterpolator, truePeak, type Interpolator } from './true-peak';
export { channelLevels, stereoImage, stereoLevels, type ChannelLevels, type StereoImage } from './stats';
export { RealFFT, hannWindow } from './fft';
export {
  OCTAVE_CENTRES_HZ,
  THIRD_OCTAVE_CENTRES_HZ,
  averagedSpectrum,
  bandLevels,
  bandPower,
  lowEndRatio,
  spectralCentroid,
  spectralTilt,
  spectrumCurve,
  type AveragedSpectrum,
  type BandLevel,
  type SpectrumOptions,
} from './spectrum';
export { decimatedMono, type Decimated } from './decimate';
export { estimateTempo, onsetEnvelope, type TempoEstimate, type TempoOptions } from './tempo';
export { estimateKey, chromagram, keyFromChroma, PITCH_CLASS_NAMES, type KeyEstimate } from './key';
export { amplitudeToDb, powerToDb, dbToAmplitude, dbToPower } from './units';
