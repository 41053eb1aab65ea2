package io.spikering.core.stream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

/**
 * Atomic snapshot files for {@code stream run}: the snapshot is written to a temporary file, forced to disk,
 * renamed over {@code state.snap} (atomic move) and the directory is forced, so after a crash at any moment the
 * file holds either the previous or the new snapshot, never a torn one (a CRC32 trailer double-checks).
 * Layout: magic "SNP1", the run position (next input ordinal, Chronicle index of the last consumed input and of
 * the last output, the model's SHA-256), the model state, CRC32 of all preceding bytes.
 * <p>
 * {@link #saveInBackground} only serializes the state on the caller's thread and leaves writing and the two
 * {@code fsync}s (about 10 ms on a virtual disk) to a writer thread, so the streaming loop does not stall on them;
 * a snapshot is valid whenever it lands, because it only describes outputs that were appended before it was taken.
 */
public final class SnapshotStore implements AutoCloseable
{
    private static final int MAGIC = 0x534e5031;
    private static final String NAME = "state.snap";
    /** The snapshot before the current one: a restart whose output queue lost its last outputs may resume from it. */
    private static final String PREVIOUS = "state.prev.snap";

    /** Where a run stands: the next input ordinal and the Chronicle indices needed to continue. */
    public record Position(long nextOrdinal, long lastInputIndex, long lastOutputIndex, String modelSha256)
    {
    }

    private final Path dir;
    private final Buffer buffer = new Buffer();
    private final DataOutputStream data = new DataOutputStream(buffer);
    /** True while {@link #buffer} is handed to the writer thread; the caller's thread owns it otherwise. */
    private volatile boolean writing;
    private volatile boolean closed;
    private volatile Exception writeFailure;
    private Thread writer;
    private final CRC32 crc = new CRC32();

    /** A reusable byte buffer (no copy on access), so periodic snapshots do not re-allocate the state's size. */
    private static final class Buffer extends ByteArrayOutputStream
    {
        Buffer()
        {
            super(1 << 16);
        }

        byte[] array()
        {
            return buf;
        }
    }

    public SnapshotStore(final Path dir) throws IOException
    {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    public Path file()
    {
        return dir.resolve(NAME);
    }

    /** Writes a snapshot atomically, after any background write still in flight. */
    public void save(final Position position, final StreamModel model) throws IOException
    {
        awaitBackground();
        serialize(position, model);
        persist();
    }

    /**
     * Serializes a snapshot on this thread and writes it atomically on the writer thread. Returns false, taking no
     * snapshot, while the previous one is still being written (call again later); throws if a background write failed.
     */
    public boolean saveInBackground(final Position position, final StreamModel model) throws IOException
    {
        if (writing)
        {
            return false;
        }
        rethrowWriteFailure();
        serialize(position, model);
        writing = true;
        startWriter();
        LockSupport.unpark(writer);
        return true;
    }

    /**
     * Starts the writer thread now (else the first {@link #saveInBackground} does). A new thread inherits its creator's
     * CPU affinity: start it from a thread that is not pinned to the stream thread's CPU.
     */
    public void startWriter()
    {
        if (writer == null)
        {
            writer = new Thread(this::writeLoop, "spikering-snapshot-writer");
            writer.setDaemon(true);
            writer.start();
        }
    }

    /** Whether a background write is in flight (a {@link #saveInBackground} now would return false). */
    public boolean writing()
    {
        return writing;
    }

    /** Waits until no background write is in flight; throws if one failed. */
    public void awaitBackground() throws IOException
    {
        while (writing)
        {
            LockSupport.parkNanos(100_000);
        }
        rethrowWriteFailure();
    }

    /** Stops the writer thread after the write in flight, if any (a later save writes synchronously). */
    public void close()
    {
        closed = true;
        if (writer != null)
        {
            LockSupport.unpark(writer);
            try
            {
                writer.join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            writer = null;
        }
    }

    private void writeLoop()
    {
        while (true)
        {
            if (writing)
            {
                try
                {
                    persist();
                }
                catch (final IOException | RuntimeException e)
                {
                    writeFailure = e;
                }
                finally
                {
                    writing = false;
                }
            }
            else if (closed)
            {
                return;
            }
            else
            {
                LockSupport.park(this);
            }
        }
    }

    private void rethrowWriteFailure() throws IOException
    {
        final Exception e = writeFailure;
        if (e != null)
        {
            writeFailure = null;
            throw new IOException("background snapshot write to " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private void serialize(final Position position, final StreamModel model) throws IOException
    {
        buffer.reset();
        final DataOutputStream out = data;
        out.writeInt(MAGIC);
        out.writeLong(position.nextOrdinal());
        out.writeLong(position.lastInputIndex());
        out.writeLong(position.lastOutputIndex());
        out.writeUTF(position.modelSha256());
        model.writeState(out);
        out.flush();
    }

    /** Appends the CRC32 to the serialized snapshot and writes it atomically (on whichever thread owns the buffer). */
    private void persist() throws IOException
    {
        crc.reset();
        crc.update(buffer.array(), 0, buffer.size());
        data.writeLong(crc.getValue());
        data.flush();
        final Path tmp = dir.resolve(NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer bytes = ByteBuffer.wrap(buffer.array(), 0, buffer.size());
            while (bytes.hasRemaining())
            {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try
        {
            // a crash between the two renames leaves only the previous snapshot, which a restart handles like any older one
            if (Files.exists(file()))
            {
                Files.move(file(), dir.resolve(PREVIOUS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException e)
        {
            throw new IOException("snapshot directory " + dir + " does not support atomic rename; put snapshots on a local file system", e);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ))
        {
            d.force(true);
        }
        catch (final IOException ignored)
        {
            // some platforms cannot open a directory for fsync; the rename is still atomic
        }
    }

    /** Loads the newest snapshot into {@code model} and returns its position, or null if there is none. */
    public Position load(final StreamModel model, final String expectedModelSha256) throws IOException
    {
        return load(model, expectedModelSha256, Long.MAX_VALUE);
    }

    /**
     * Loads the newest snapshot (the current or the previous one) whose next input ordinal is at most {@code maxNextOrdinal}
     * into {@code model} and returns its position, or null if there is none (the model is then untouched).
     */
    public Position load(final StreamModel model, final String expectedModelSha256, final long maxNextOrdinal) throws IOException
    {
        for (final Path file : new Path[] {file(), dir.resolve(PREVIOUS)})
        {
            final DataInputStream in = open(file, expectedModelSha256);
            if (in != null)
            {
                final Position p = position(in);
                if (p.nextOrdinal() <= maxNextOrdinal)
                {
                    model.readState(in);
                    return p;
                }
            }
        }
        return null;
    }

    /** The next input ordinal of the newest snapshot, −1 if there is none. */
    public long newestNextOrdinal(final String expectedModelSha256) throws IOException
    {
        for (final Path file : new Path[] {file(), dir.resolve(PREVIOUS)})
        {
            final DataInputStream in = open(file, expectedModelSha256);
            if (in != null)
            {
                return position(in).nextOrdinal();
            }
        }
        return -1;
    }

    private static Position position(final DataInputStream in) throws IOException
    {
        return new Position(in.readLong(), in.readLong(), in.readLong(), in.readUTF());
    }

    /** The checked snapshot file, positioned after its magic; null if absent. */
    private static DataInputStream open(final Path file, final String expectedModelSha256) throws IOException
    {
        if (!Files.exists(file))
        {
            return null;
        }
        final byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 12)
        {
            throw new IOException("snapshot " + file + " is truncated (" + bytes.length + " bytes)");
        }
        final CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        final long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (crc.getValue() != stored)
        {
            throw new IOException("snapshot " + file + " fails its CRC check; it is corrupt (delete it and the output queue to start over)");
        }
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8));
        if (in.readInt() != MAGIC)
        {
            throw new IOException("snapshot " + file + " is not a spikering stream snapshot");
        }
        in.mark(bytes.length);
        final Position p = position(in);
        if (!p.modelSha256().equals(expectedModelSha256))
        {
            throw new IOException("snapshot " + file + " was written for model sha256 " + p.modelSha256() + ", this run's model is " +
                expectedModelSha256 + "; use the same model or fresh --out and snapshot directories");
        }
        in.reset();
        return in;
    }
}
