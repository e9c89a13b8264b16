export type CalculationValue = number | string | number[] | string[];

export interface CalculationAnswer {
  kind: string;
  answer_markdown: string;
  values: Record<string, CalculationValue>;
}

/** A calculator takes the message lower-cased (and the original, for case-sensitive chord symbols). */
export type Calculator = (lower: string, original: string) => CalculationAnswer | undefined;
