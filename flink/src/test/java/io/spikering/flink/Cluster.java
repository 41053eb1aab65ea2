package io.spikering.flink;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.concurrent.TimeUnit;

/** A MiniCluster of task managers with one slot each, and job submission from an environment's stream graph. */
final class Cluster implements AutoCloseable
{
    final MiniCluster mini;

    Cluster(final int taskManagers) throws Exception
    {
        final Configuration c = new Configuration();
        c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
        mini = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(c).setNumTaskManagers(taskManagers)
            .setNumSlotsPerTaskManager(1).build());
        mini.start();
    }

    JobID submit(final StreamExecutionEnvironment env) throws Exception
    {
        return mini.submitJob(env.getStreamGraph()).get(30, TimeUnit.SECONDS).getJobID();
    }

    /** Waits for the job to end and rethrows its failure. */
    void await(final JobID job, final long seconds) throws Exception
    {
        final JobResult result = mini.requestJobResult(job).get(seconds, TimeUnit.SECONDS);
        if (result.getSerializedThrowable().isPresent())
        {
            throw new AssertionError("job failed", result.getSerializedThrowable().get().deserializeError(getClass().getClassLoader()));
        }
    }

    public void close() throws Exception
    {
        mini.close();
    }
}
