package io.spikering.core.engine;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * The Disruptor delivery path. The stepping thread publishes one slot per (route, step) carrying the emitter's
 * events; each of N handler threads sees every slot in sequence order and applies it to its own fixed slice of the
 * target columns. A column is written by one handler only, in publication order, which is the direct path's order:
 * results are bit-identical for any N.
 *
 * <p>A slot holds up to {@link #SLOT_CAPACITY} events; larger emissions take consecutive slots, so order is kept.
 */
final class SpikeBus implements AutoCloseable
{
    /** A pre-allocated, mutable ring slot: the events of one population along one route at one step. */
    static final class Slot
    {
        final int[] neurons = new int[SLOT_CAPACITY];
        final double[] values = new double[SLOT_CAPACITY];
        Route route;
        long step;
        int n;
    }

    /** Events per ring slot. */
    static final int SLOT_CAPACITY = 256;

    private final RingBuffer<Slot> ring;
    private final Sequence[] sequences;
    private final BatchEventProcessor<Slot>[] processors;
    private final Thread[] threads;
    private volatile Throwable failure;

    @SuppressWarnings("unchecked")
    SpikeBus(final Route[] routes, final int handlerCount, final WaitStrategy waitStrategy, final int ringSize)
    {
        ring = RingBuffer.createSingleProducer(Slot::new, ringSize, waitStrategy);
        sequences = new Sequence[handlerCount];
        processors = new BatchEventProcessor[handlerCount];
        threads = new Thread[handlerCount];
        final ExceptionHandler<Slot> onError = new ExceptionHandler<>()
        {
            public void handleEventException(final Throwable ex, final long sequence, final Slot slot)
            {
                failure = ex;
            }

            public void handleOnStartException(final Throwable ex)
            {
                failure = ex;
            }

            public void handleOnShutdownException(final Throwable ex)
            {
            }
        };
        for (int h = 0; h < handlerCount; h++)
        {
            final BatchEventProcessor<Slot> processor = new BatchEventProcessorBuilder()
                .build(ring, ring.newBarrier(), new SliceHandler(routes, h, handlerCount));
            processor.setExceptionHandler(onError);
            processors[h] = processor;
            sequences[h] = processor.getSequence();
        }
        ring.addGatingSequences(sequences);
        for (int h = 0; h < handlerCount; h++)
        {
            final Thread t = new Thread(processors[h], "spikering-delivery-" + h + "-of-" + handlerCount);
            t.setDaemon(true);
            threads[h] = t;
            t.start();
        }
    }

    /** Copies the events of {@code route}'s source for {@code step} into slots; returns the last slot's sequence. */
    long publish(final Route route, final long step, final int[] neurons, final double[] values, final int n)
    {
        long sequence = -1;
        for (int from = 0; from < n; from += SLOT_CAPACITY)
        {
            final int count = Math.min(SLOT_CAPACITY, n - from);
            sequence = ring.next();
            final Slot slot = ring.get(sequence);
            slot.route = route;
            slot.step = step;
            slot.n = count;
            System.arraycopy(neurons, from, slot.neurons, 0, count);
            System.arraycopy(values, from, slot.values, 0, count);
            ring.publish(sequence);
        }
        return sequence;
    }

    /** Highest sequence published so far (-1 before the first). */
    long cursor()
    {
        return ring.getCursor();
    }

    /** Waits until every handler has processed {@code sequence} (and all before it). */
    void awaitDrained(final long sequence)
    {
        int idle = 0;
        while (minimumSequence() < sequence)
        {
            final Throwable f = failure;
            if (f != null)
            {
                throw new IllegalStateException("a delivery handler failed: " + f, f);
            }
            if (idle < 100)
            {
                Thread.onSpinWait();
            }
            else if (idle < 1000)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(10_000);
            }
            idle++;
        }
        final Throwable f = failure;
        if (f != null)
        {
            throw new IllegalStateException("a delivery handler failed: " + f, f);
        }
    }

    private long minimumSequence()
    {
        long min = Long.MAX_VALUE;
        for (final Sequence s : sequences)
        {
            min = Math.min(min, s.get());
        }
        return min;
    }

    int handlerCount()
    {
        return threads.length;
    }

    @Override
    public void close()
    {
        for (final BatchEventProcessor<Slot> p : processors)
        {
            p.halt();
        }
        for (final Thread t : threads)
        {
            try
            {
                t.join(5_000);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Applies every slot to columns [lo, hi) of each target; sparse rows pre-split to this slice. */
    private static final class SliceHandler implements EventHandler<Slot>
    {
        private final int[] lo;
        private final int[] hi;
        private final int[][][] sparseTargets;
        private final float[][][] sparseWeights;

        SliceHandler(final Route[] routes, final int handler, final int handlerCount)
        {
            lo = new int[routes.length];
            hi = new int[routes.length];
            sparseTargets = new int[routes.length][][];
            sparseWeights = new float[routes.length][][];
            for (final Route r : routes)
            {
                final int from = (int)((long)r.width * handler / handlerCount);
                final int to = (int)((long)r.width * (handler + 1) / handlerCount);
                lo[r.id] = from;
                hi[r.id] = to;
                if (r.sparseTargets != null)
                {
                    final int rows = r.sparseTargets.length;
                    sparseTargets[r.id] = new int[rows][];
                    sparseWeights[r.id] = new float[rows][];
                    for (int i = 0; i < rows; i++)
                    {
                        final int[] t = r.sparseTargets[i];
                        int count = 0;
                        for (final int j : t)
                        {
                            count += j >= from && j < to ? 1 : 0;
                        }
                        final int[] st = new int[count];
                        final float[] sw = new float[count];
                        int k = 0;
                        for (int m = 0; m < t.length; m++)
                        {
                            if (t[m] >= from && t[m] < to)
                            {
                                st[k] = t[m];
                                sw[k] = r.sparseWeights[i][m];
                                k++;
                            }
                        }
                        sparseTargets[r.id][i] = st;
                        sparseWeights[r.id][i] = sw;
                    }
                }
            }
        }

        @Override
        public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch)
        {
            final Route r = slot.route;
            final double[] acc = r.ring.slot(slot.step + r.delay);
            final int id = r.id;
            if (r.denseRows != null)
            {
                Delivery.dense(r.denseRows, acc, slot.neurons, slot.values, slot.n, lo[id], hi[id]);
            }
            else
            {
                Delivery.sparse(sparseTargets[id], sparseWeights[id], acc, slot.neurons, slot.values, slot.n);
            }
        }
    }
}
