import { judgeSpend } from './spend-judgement';

const thresholds = { factor: 3, minimumSpend: 5, baselineDays: 7 };

describe('judgeSpend', () => {
  it('flags spend above factor x the trailing daily mean and above the minimum', () => {
    const judgement = judgeSpend(30, 7 * 2, thresholds);

    expect(judgement).toEqual({
      spiking: true,
      spendToday: 30,
      baseline: { days: 7, total: 14, dailyMean: 2 },
      factor: 3,
      minimumSpend: 5,
      threshold: 6,
    });
  });

  it('does not flag spend at or below the threshold', () => {
    expect(judgeSpend(6, 14, thresholds).spiking).toBe(false);
    expect(judgeSpend(5, 0, thresholds).spiking).toBe(false);
  });

  it('judges a new agent against the minimum alone', () => {
    const judgement = judgeSpend(5.01, 0, thresholds);

    expect(judgement.spiking).toBe(true);
    expect(judgement.threshold).toBe(5);
  });
});
