import { RecordedEvent } from '../event-envelope';
import { recordedTestEvent } from '../testing/event-factory';
import { comparePostgresPositions } from './postgres-position';
import { RecentEvents } from './recent-events';

function event(sequence: number): RecordedEvent {
  return recordedTestEvent(sequence, `10-${sequence}`);
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => event(from + index));
const positions = (events: RecordedEvent[] | undefined) => events?.map((e) => e.position);

describe('RecentEvents', () => {
  it('answers readers inside the stretch it read, and nobody outside it', () => {
    const recent = new RecentEvents(comparePostgresPositions, 100);
    recent.record('10-0', range(1, 5), true, 7);

    expect(positions(recent.read('10-2', 10, 7)?.events)).toEqual(['10-3', '10-4', '10-5']);
    expect(positions(recent.read('10-0', 2, 7)?.events)).toEqual(['10-1', '10-2']);
    expect(recent.read('10-6', 10, 7)).toBeUndefined();
    expect(recent.read('9-99', 10, 7)).toBeUndefined();
  });

  it('never changes a page or an answer it handed out, as later pages join and old ones go', () => {
    const recent = new RecentEvents(comparePostgresPositions, 6);
    const firstPage = range(1, 4);
    recent.record('10-0', firstPage, true, 1);
    const answered = recent.read('10-0', 10, 1)?.events ?? [];

    recent.record('10-4', range(5, 8), true, 2);
    recent.record('10-8', range(9, 9), true, 3);

    expect(positions(firstPage)).toEqual(['10-1', '10-2', '10-3', '10-4']);
    expect(positions(answered)).toEqual(['10-1', '10-2', '10-3', '10-4']);
    expect(positions(recent.read('10-3', 10, 3)?.events)).toEqual([
      '10-4',
      '10-5',
      '10-6',
      '10-7',
      '10-8',
      '10-9',
    ]);
    expect(recent.read('10-2', 10, 3)).toBeUndefined();
  });

  it('answers a reader at the tail with nothing only while the tail is fresh and current', () => {
    let now = 1_000;
    const recent = new RecentEvents(comparePostgresPositions, 100, 20, () => now);
    recent.record('10-0', range(1, 5), true, 7);

    expect(recent.read('10-5', 10, 7)).toEqual({ events: [], reachesTail: true });
    expect(recent.read('10-5', 10, 8)).toBeUndefined();
    now += 21;
    expect(recent.read('10-5', 10, 7)).toBeUndefined();

    recent.record('10-5', [], true, 7);
    expect(recent.read('10-5', 10, 7)).toEqual({ events: [], reachesTail: true });
  });

  it('calls its tail the end only when no append was announced since that read began', () => {
    const recent = new RecentEvents(comparePostgresPositions, 100);
    recent.record('10-0', range(1, 5), true, 7);

    expect(recent.read('10-2', 10, 7)?.reachesTail).toBe(true);
    expect(recent.read('10-2', 10, 8)?.reachesTail).toBe(false);
    expect(recent.read('10-2', 1, 7)?.reachesTail).toBe(false);

    recent.record('10-5', [], true, 8);
    expect(recent.read('10-2', 10, 8)?.reachesTail).toBe(true);
  });

  it('never calls the end of a page cut by its limit the end of the stream', () => {
    const recent = new RecentEvents(comparePostgresPositions, 100);
    recent.record('10-0', range(1, 5), false, 7);

    expect(recent.read('10-2', 10, 7)?.reachesTail).toBe(false);
  });

  it('joins consecutive and overlapping pages into one stretch', () => {
    const recent = new RecentEvents(comparePostgresPositions, 100);
    recent.record('10-0', range(1, 3), true, 1);
    recent.record('10-3', range(4, 6), true, 2);
    recent.record('10-5', range(6, 9), true, 3);

    expect(positions(recent.read('10-0', 100, 3)?.events)).toEqual(
      range(1, 9).map((e) => e.position),
    );
  });

  it('keeps the newer stretch when an older, separate page arrives', () => {
    const recent = new RecentEvents(comparePostgresPositions, 100);
    recent.record('10-50', range(51, 60), true, 5);
    recent.record('10-0', range(1, 10), false, 4);

    expect(recent.read('10-5', 10, 5)).toBeUndefined();
    expect(positions(recent.read('10-58', 10, 5)?.events)).toEqual(['10-59', '10-60']);
  });

  it('holds at most its capacity, dropping the oldest', () => {
    const recent = new RecentEvents(comparePostgresPositions, 4);
    recent.record('10-0', range(1, 10), true, 1);

    expect(recent.read('10-5', 10, 1)).toBeUndefined();
    expect(positions(recent.read('10-6', 10, 1)?.events)).toEqual([
      '10-7',
      '10-8',
      '10-9',
      '10-10',
    ]);
  });
});
