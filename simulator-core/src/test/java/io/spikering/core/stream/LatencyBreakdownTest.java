package io.spikering.core.stream;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The latency breakdown on hand-made runner timelines (nanoseconds), and its parts adding up to the latency. */
class LatencyBreakdownTest
{
    private static LatencyBreakdown recording()
    {
        final LatencyBreakdown b = new LatencyBreakdown(0);
        b.startRecording();
        return b;
    }

    @Test
    void aSampleNotYetVisibleAtAnIdlePollIsPublishDelayThenTheGapToTheNextPollIsAStall()
    {
        final LatencyBreakdown b = recording();
        b.emptyPoll(100_000);
        b.emptyPoll(150_000);
        b.sample(90_000, 160_000, 161_000, 162_000);
        assertEquals(60_000, b.lateSum("publish"));
        assertEquals(10_000, b.lateSum("stalled"));
        assertEquals(1_000, b.lateSum("step"));
        assertEquals(1_000, b.lateSum("append"));
        assertEquals(0, b.lateSum("queued"));
    }

    @Test
    void aSampleArrivingWhileTheRunnerWorksOnAnEarlierOneIsQueuedAndChargedToThatOnesCause()
    {
        final LatencyBreakdown b = recording();
        b.emptyPoll(0);
        b.sample(1_000, 2_000, 500_000, 501_000); // a slow step
        b.sample(100_000, 502_000, 503_000, 504_000); // waited for it
        assertEquals(401_000, b.lateSum("queued"));
        assertEquals(1_000 + 1_000, b.lateSum("stalled"), "1 µs until the first read, 1 µs from the end of work to the second read");
        assertEquals(0, b.lateRootSum("queued"));
        assertEquals(498_000 + 1_000 + 401_000, b.lateRootSum("step"), "the queued time is charged to the slow step");
    }

    @Test
    void waitingForASnapshotIsSnapshotTimeAndSoIsTheBacklogItLeaves()
    {
        final LatencyBreakdown b = recording();
        b.emptyPoll(0);
        b.sample(1_000, 2_000, 3_000, 4_000);
        b.snapshot(4_000, 5_004_000);
        b.sample(1_000_000, 5_005_000, 5_006_000, 5_007_000);
        b.sample(2_000_000, 5_007_500, 5_008_000, 5_009_000);
        assertEquals(4_004_000 + 3_004_000, b.lateSum("snapshot"), "both waited for the snapshot");
        assertEquals(3_000, b.lateSum("queued"), "the third also waited for the second");
        assertEquals(4_004_000 + 3_004_000 + 3_000, b.lateRootSum("snapshot"));
        assertEquals(1, b.snapshots().getTotalCount());
    }

    @Test
    void anIdleRunnerThatDoesNotPollIsStalledAndItsPollGapsAreCounted()
    {
        final LatencyBreakdown b = recording();
        b.emptyPoll(0);
        b.emptyPoll(1_000);
        b.emptyPoll(60_000); // a 59 µs gap between two idle polls
        b.sample(61_000, 2_000_000, 2_001_000, 2_002_000);
        assertEquals(1_939_000, b.lateSum("stalled"));
        assertEquals(0, b.lateSum("publish"));
        assertEquals(1, b.gaps().getTotalCount());
        assertEquals(59_000, b.gaps().getMaxValue(), 59_000 * 0.01);
    }

    @Test
    void nothingIsRecordedBeforeTheWarmUpEnds()
    {
        final LatencyBreakdown b = new LatencyBreakdown(0);
        b.emptyPoll(0);
        b.sample(1_000, 2_000, 3_000, 4_000);
        assertEquals(0, b.part("step").getTotalCount());
        b.startRecording();
        b.sample(5_000, 6_000, 7_000, 8_000);
        assertEquals(1, b.part("step").getTotalCount());
    }

    @Test
    void onRandomTimelinesThePartsOfEverySampleAddUpToItsLatency()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final LatencyBreakdown b = recording();
        long now = 0;
        long stamp = 0;
        long total = 0;
        for (int i = 0; i < 20_000; i++)
        {
            stamp += random.nextLong(1, 200_000);
            switch (random.nextInt(3))
            {
                case 0 ->
                {
                    now = Math.max(now, stamp - random.nextLong(0, 50_000)) + random.nextLong(1, 20_000);
                    b.emptyPoll(now);
                }
                case 1 ->
                {
                    final long start = now + random.nextLong(0, 1_000);
                    now = start + random.nextLong(1, 5_000_000);
                    b.snapshot(start, now);
                }
                default ->
                {
                }
            }
            final long read = Math.max(now, stamp) + random.nextLong(0, 100_000);
            final long stepped = read + random.nextLong(0, 50_000);
            now = stepped + random.nextLong(0, 50_000);
            b.sample(stamp, read, stepped, now);
            total += now - stamp;
        }
        long sum = 0;
        long rootSum = 0;
        for (final String part : new String[]{"publish", "queued", "snapshot", "stalled", "step", "append"})
        {
            sum += b.lateSum(part);
            rootSum += b.lateRootSum(part);
        }
        assertEquals(total, sum);
        assertEquals(total, rootSum);
        assertEquals(0, b.lateRootSum("queued"));
    }

    @Test
    void unknownPartsAndNegativeThresholdsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new LatencyBreakdown(-1));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> recording().part("gc"));
        assertEquals("no latency part 'gc'; parts are publish, queued, snapshot, stalled, step, append", e.getMessage());
    }
}
