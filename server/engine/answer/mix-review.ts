import type { DawContext } from '../../../shared/schemas/chat';
import { LOUDNESS_TARGETS, targetNamedIn, type LoudnessTargetName } from '../../../shared/loudness-targets';

export interface MixFinding {
  severity: 'good' | 'warning' | 'problem';
  text: string;
  /** The same finding in French. */
  fr: string;
}

export interface MixReview {
  target: LoudnessTargetName;
  findings: MixFinding[];
  /** Share of the figures this review uses that the context had, 0..1. */
  completeness: number;
  markdown: string;
}

const num = (metrics: DawContext['metrics'], ...keys: string[]): number | undefined => {
  for (const k of keys) {
    const v = metrics?.[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
};

const icon = { good: '✓', warning: '!', problem: '✗' } as const;

/** The review in French, for a question asked in French. */
export function reviewMarkdownFr(review: MixReview): string {
  const t = LOUDNESS_TARGETS[review.target];
  return [
    `**Ton mix face à ${t.label}** (${t.integrated_lufs} LUFS, ${t.true_peak_dbtp} dBTP) :`,
    ...review.findings.map((f) => `- ${icon[f.severity]} ${f.fr}`),
  ].join('\n');
}

const fmt = (v: number, digits = 1) => (Math.round(v * 10 ** digits) / 10 ** digits).toFixed(digits);

/**
 * Reads the latest meter or analysis figures against a platform's target and says what to change, citing the
 * numbers. Undefined when the context has no figures at all.
 */
export function reviewMix(question: string, context: DawContext | undefined): MixReview | undefined {
  const m = context?.metrics;
  const named = targetNamedIn(question);
  const fromContext =
    typeof m?.target === 'string' && m.target in LOUDNESS_TARGETS ? (m.target as LoudnessTargetName) : undefined;
  const target = named ?? fromContext ?? 'spotify';
  const t = LOUDNESS_TARGETS[target];
  const integrated = num(m, 'integrated_lufs', 'lufs', 'loudness_lufs');
  const truePeak = num(m, 'true_peak_dbtp', 'true_peak');
  const range = num(m, 'range_lu', 'lra_lu', 'loudness_range_lu');
  const correlation = num(m, 'correlation', 'stereo_correlation');
  const lowEnd = num(m, 'low_end_ratio');
  const used = [integrated, truePeak, range, correlation];
  if (used.every((v) => v === undefined) && lowEnd === undefined) return undefined;
  const findings: MixFinding[] = [];

  if (integrated !== undefined) {
    const diff = integrated - t.integrated_lufs;
    if (diff > t.tolerance_lu) {
      findings.push({
        severity: 'warning',
        text: `Integrated loudness is ${fmt(integrated)} LUFS, ${fmt(diff)} LU above ${t.label}'s ${t.integrated_lufs} LUFS: it will be turned down by about ${fmt(diff)} dB, so the extra limiting buys nothing. Back the limiter off by ${fmt(diff)} dB and keep the punch.`,
        fr: `La sonie intégrée est de ${fmt(integrated)} LUFS, ${fmt(diff)} LU au-dessus des ${t.integrated_lufs} LUFS de ${t.label} : le morceau sera baissé d'environ ${fmt(diff)} dB, le limiteur en trop ne rapporte rien. Relâche le limiteur de ${fmt(diff)} dB et garde le punch.`,
      });
    } else if (diff < -t.tolerance_lu) {
      findings.push({
        severity: 'warning',
        text: `Integrated loudness is ${fmt(integrated)} LUFS, ${fmt(-diff)} LU below ${t.label}'s ${t.integrated_lufs} LUFS: it may be played quieter than other tracks${target === 'spotify' || target === 'youtube' ? ' (loud masters are only turned down, quiet ones are not always turned up)' : ''}. Raise it with gentle limiting, about ${fmt(-diff)} dB.`,
        fr: `La sonie intégrée est de ${fmt(integrated)} LUFS, ${fmt(-diff)} LU sous les ${t.integrated_lufs} LUFS de ${t.label} : il risque de sonner moins fort que les autres titres. Monte-le d'environ ${fmt(-diff)} dB avec un limiteur doux.`,
      });
    } else {
      findings.push({
        severity: 'good',
        text: `Integrated loudness ${fmt(integrated)} LUFS is within ${t.tolerance_lu} LU of ${t.label}'s ${t.integrated_lufs} LUFS.`,
        fr: `Sonie intégrée de ${fmt(integrated)} LUFS : à moins de ${t.tolerance_lu} LU des ${t.integrated_lufs} LUFS de ${t.label}.`,
      });
    }
  }
  if (truePeak !== undefined) {
    if (truePeak > t.true_peak_dbtp) {
      findings.push({
        severity: 'problem',
        text: `True peak is ${fmt(truePeak)} dBTP, above the ${t.true_peak_dbtp} dBTP ceiling: encoding to lossy formats will clip. Set the limiter's ceiling to ${t.true_peak_dbtp} dBTP with true-peak (oversampled) detection on.`,
        fr: `Le true peak est à ${fmt(truePeak)} dBTP, au-dessus du plafond de ${t.true_peak_dbtp} dBTP : l'encodage en formats compressés va écrêter. Règle le plafond du limiteur à ${t.true_peak_dbtp} dBTP avec la détection true peak (suréchantillonnée).`,
      });
    } else {
      findings.push({
        severity: 'good',
        text: `True peak ${fmt(truePeak)} dBTP is under the ${t.true_peak_dbtp} dBTP ceiling.`,
        fr: `True peak de ${fmt(truePeak)} dBTP, sous le plafond de ${t.true_peak_dbtp} dBTP.`,
      });
    }
  }
  if (range !== undefined) {
    if (range < 4)
      findings.push({
        severity: 'warning',
        text: `Loudness range is only ${fmt(range)} LU: the track is heavily compressed. If it sounds flat, ease the bus compression or the limiter.`,
        fr: `La plage de sonie n'est que de ${fmt(range)} LU : le morceau est très compressé. S'il sonne plat, allège la compression de bus ou le limiteur.`,
      });
    else if (range > 15 && target !== 'ebu_r128' && target !== 'atsc_a85')
      findings.push({
        severity: 'warning',
        text: `Loudness range is ${fmt(range)} LU: quiet passages may get lost on phones and in cars. Consider gentle bus compression.`,
        fr: `La plage de sonie est de ${fmt(range)} LU : les passages calmes risquent de se perdre sur téléphone ou en voiture. Pense à une compression de bus douce.`,
      });
    else
      findings.push({
        severity: 'good',
        text: `Loudness range ${fmt(range)} LU is in a comfortable span.`,
        fr: `Plage de sonie de ${fmt(range)} LU : confortable.`,
      });
  }
  if (correlation !== undefined) {
    if (correlation < 0)
      findings.push({
        severity: 'problem',
        text: `Stereo correlation is ${fmt(correlation, 2)}: parts of the mix are out of phase and will cancel in mono. Check polarity and stereo wideners, and listen in mono.`,
        fr: `La corrélation stéréo est de ${fmt(correlation, 2)} : des éléments sont hors phase et s'annuleront en mono. Vérifie la polarité et les élargisseurs stéréo, et écoute en mono.`,
      });
    else if (correlation < 0.2)
      findings.push({
        severity: 'warning',
        text: `Stereo correlation is ${fmt(correlation, 2)}: a very wide mix; check it in mono.`,
        fr: `La corrélation stéréo est de ${fmt(correlation, 2)} : mix très large, vérifie-le en mono.`,
      });
  }
  if (lowEnd !== undefined && lowEnd > 0.45) {
    findings.push({
      severity: 'warning',
      text: `${fmt(lowEnd * 100, 0)}% of the energy sits below 120 Hz: the low end may be heavy. Compare with a reference and high-pass what does not need the sub.`,
      fr: `${fmt(lowEnd * 100, 0)} % de l'énergie est sous 120 Hz : le bas du spectre est peut-être trop chargé. Compare avec une référence et coupe (passe-haut) ce qui n'a pas besoin du sub.`,
    });
  }
  const markdown = [
    `**Your mix against ${t.label}** (${t.integrated_lufs} LUFS, ${t.true_peak_dbtp} dBTP):`,
    ...findings.map((f) => `- ${icon[f.severity]} ${f.text}`),
  ].join('\n');
  return { target, findings, completeness: used.filter((v) => v !== undefined).length / used.length, markdown };
}
