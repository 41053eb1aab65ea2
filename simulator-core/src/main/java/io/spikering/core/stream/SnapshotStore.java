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
import java.util.zip.CRC32;

/**
 * Atomic snapshot files for {@code stream run}: the snapshot is written to a temporary file, forced to disk,
 * renamed over {@code state.snap} (atomic move) and the directory is forced, so after a crash at any moment the
 * file holds either the previous or the new snapshot, never a torn one (a CRC32 trailer double-checks).
 * Layout: magic "SNP1", the run position (next input ordinal, Chronicle index of the last consumed input and of
 * the last output, the model's SHA-256), the model state, CRC32 of all preceding bytes.
 */
public final class SnapshotStore
{
    private static final int MAGIC = 0x534e5031;
    private static final String NAME = "state.snap";

    /** Where a run stands: the next input ordinal and the Chronicle indices needed to continue. */
    public record Position(long nextOrdinal, long lastInputIndex, long lastOutputIndex, String modelSha256)
    {
    }

    private final Path dir;
    private final Buffer buffer = new Buffer();
    private final DataOutputStream data = new DataOutputStream(buffer);

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

    /** Writes a snapshot atomically. */
    public void save(final Position position, final StreamModel model) throws IOException
    {
        buffer.reset();
        final DataOutputStream out = data;
        out.writeInt(MAGIC);
        out.writeLong(position.nextOrdinal());
        out.writeLong(position.lastInputIndex());
        out.writeLong(position.lastOutputIndex());
        out.writeUTF(position.modelSha256());
        model.writeState(out);
        final CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, buffer.size());
        out.writeLong(crc.getValue());
        out.flush();
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

    /** Loads the snapshot into {@code model} and returns its position, or null if there is none. */
    public Position load(final StreamModel model, final String expectedModelSha256) throws IOException
    {
        if (!Files.exists(file()))
        {
            return null;
        }
        final byte[] bytes = Files.readAllBytes(file());
        if (bytes.length < 12)
        {
            throw new IOException("snapshot " + file() + " is truncated (" + bytes.length + " bytes)");
        }
        final CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        final long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (crc.getValue() != stored)
        {
            throw new IOException("snapshot " + file() + " fails its CRC check; it is corrupt (delete it and the output queue to start over)");
        }
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8));
        if (in.readInt() != MAGIC)
        {
            throw new IOException("snapshot " + file() + " is not a spikering stream snapshot");
        }
        final Position p = new Position(in.readLong(), in.readLong(), in.readLong(), in.readUTF());
        if (!p.modelSha256().equals(expectedModelSha256))
        {
            throw new IOException("snapshot " + file() + " was written for model sha256 " + p.modelSha256() + ", this run's model is " +
                expectedModelSha256 + "; use the same model or fresh --out and snapshot directories");
        }
        model.readState(in);
        return p;
    }
}
