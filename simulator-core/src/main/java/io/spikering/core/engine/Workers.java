package io.spikering.core.engine;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A task run on N threads of its own (sample-level parallelism: one simulator per thread). The first failure is kept,
 * {@link #failed()} lets the other threads' loops stop early, and {@link #throwIfFailed()} rethrows it when the caller has
 * released what the threads used.
 */
public final class Workers
{
    /** The work of thread {@code worker} in [0, workers). */
    @FunctionalInterface
    public interface Task
    {
        void run(int worker);
    }

    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Runs {@code task} on {@code workers} threads named {@code name} + index and waits for all of them. */
    public void run(final int workers, final String name, final Task task)
    {
        final Thread[] threads = new Thread[workers];
        for (int w = 0; w < workers; w++)
        {
            final int worker = w;
            threads[w] = new Thread(() ->
            {
                try
                {
                    task.run(worker);
                }
                catch (final Throwable t)
                {
                    fail(t);
                }
            }, name + w);
            threads[w].start();
        }
        for (final Thread t : threads)
        {
            try
            {
                t.join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the workers", e);
            }
        }
    }

    /** Records {@code t} unless an earlier failure was recorded. */
    public void fail(final Throwable t)
    {
        failure.compareAndSet(null, t);
    }

    public boolean failed()
    {
        return failure.get() != null;
    }

    /** Rethrows the first failure: a RuntimeException as it is, anything else wrapped. */
    public void throwIfFailed()
    {
        final Throwable t = failure.get();
        if (t instanceof RuntimeException e)
        {
            throw e;
        }
        if (t != null)
        {
            throw new IllegalStateException("a worker failed: " + t, t);
        }
    }
}
