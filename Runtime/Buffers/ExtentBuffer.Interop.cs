using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Folios;

public sealed partial class ExtentBuffer
{
    /// <summary>The buffer as blocks of memory (pages, neighbours joined), built once: the iovecs of every vectored
    /// call and the segments of every sequence.</summary>
    private Memory<byte>[]? _blocks;

    /// <summary>
    /// Fills the whole buffer from <paramref name="file"/> at <paramref name="fileOffset"/> with one vectored read
    /// (preadv over the buffer's pages), not one call per page.
    /// </summary>
    /// <exception cref="EndOfStreamException">The file ended first; the message gives the offset and how many bytes
    /// were read. The buffer then holds those bytes at its start and its earlier contents after them.</exception>
    /// <exception cref="ArgumentNullException">The file is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The file offset is negative.</exception>
    /// <exception cref="ObjectDisposedException">The buffer, its allocator or the file handle was disposed.</exception>
    /// <exception cref="IOException">The read failed.</exception>
    [PageHelper]
    public void ReadFrom(SafeFileHandle file, long fileOffset)
    {
        var blocks = BlocksForIO(file, fileOffset);
        long read = 0;
        while (read < Length)
        {
            long got = RandomAccess.Read(file, Remaining(blocks, read), fileOffset + read);
            if (got == 0)
                throw ShortRead(fileOffset, read);
            read += got;
        }
    }

    /// <summary>The asynchronous <see cref="ReadFrom"/>: one vectored read, the same errors.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; part of the buffer may be filled.</exception>
    [PageHelper]
    public async ValueTask ReadFromAsync(SafeFileHandle file, long fileOffset, CancellationToken cancellationToken = default)
    {
        var blocks = BlocksForIO(file, fileOffset);
        long read = 0;
        while (read < Length)
        {
            long got = await RandomAccess.ReadAsync(file, Remaining(blocks, read), fileOffset + read, cancellationToken).ConfigureAwait(false);
            if (got == 0)
                throw ShortRead(fileOffset, read);
            read += got;
        }
    }

    /// <summary>Writes the whole buffer to <paramref name="file"/> at <paramref name="fileOffset"/> with one vectored
    /// write (pwritev over the buffer's pages); the file grows when needed.</summary>
    /// <exception cref="ArgumentNullException">The file is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The file offset is negative.</exception>
    /// <exception cref="ObjectDisposedException">The buffer, its allocator or the file handle was disposed.</exception>
    /// <exception cref="IOException">The write failed (a full disk, say).</exception>
    [PageHelper]
    public void WriteTo(SafeFileHandle file, long fileOffset) =>
        RandomAccess.Write(file, ReadOnlyBlocks(BlocksForIO(file, fileOffset)), fileOffset);

    /// <summary>The asynchronous <see cref="WriteTo"/>.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; part of the buffer may be written.</exception>
    [PageHelper]
    public ValueTask WriteToAsync(SafeFileHandle file, long fileOffset, CancellationToken cancellationToken = default) =>
        RandomAccess.WriteAsync(file, ReadOnlyBlocks(BlocksForIO(file, fileOffset)), fileOffset, cancellationToken);

    /// <summary>
    /// The bytes [offset, offset + length) as a <see cref="ReadOnlySequence{T}"/> over the pages, without copying:
    /// for <see cref="SequenceReader{T}"/>, <c>Utf8JsonReader</c>, <c>PipeWriter.WriteAsync</c> and the like. One
    /// segment per block of memory (a page, or pages that are neighbours in the arena), so a range in one block is a
    /// single-segment sequence. Reading it after the buffer is disposed throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the buffer; the message names it.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [PageHelper]
    public ReadOnlySequence<byte> AsSequence(int offset, int length)
    {
        CheckRange(offset, length);
        if (length == 0)
            return ReadOnlySequence<byte>.Empty;
        SequenceSegment? first = null, last = null;
        int start = 0;
        foreach (var block in Blocks())
        {
            int end = start + block.Length;
            if (end > offset && start < offset + length)
            {
                int from = Math.Max(offset - start, 0);
                var piece = block[from..(Math.Min(end, offset + length) - start)];
                last = last is null ? first = new SequenceSegment(piece, 0) : last.Append(piece);
            }
            start = end;
        }
        return first == last ? new ReadOnlySequence<byte>(first!.Memory) : new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>The whole buffer as a <see cref="ReadOnlySequence{T}"/>: <see cref="AsSequence(int, int)"/> from 0 for
    /// <see cref="Length"/> bytes.</summary>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [PageHelper]
    public ReadOnlySequence<byte> AsSequence() => AsSequence(0, Length);

    /// <summary>
    /// A seekable read/write <see cref="Stream"/> over the buffer's bytes, of fixed length: a write past the end
    /// throws <see cref="NotSupportedException"/> and writes nothing, and so does <see cref="Stream.SetLength"/>. Like a
    /// <see cref="MemoryStream"/> it may be positioned past the end (reads there return 0), completes its asynchronous
    /// calls at once (a cancelled token gives a cancelled task) and is not thread-safe. Disposing the stream leaves the
    /// buffer alone; disposing the buffer or its allocator ends the stream: CanRead, CanSeek and CanWrite turn false
    /// and every other member throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public Stream AsStream()
    {
        ThrowIfDisposed();
        return new ExtentBufferStream(this);
    }

    /// <summary>A block of memory that <see cref="Blocks"/> made: checked, then the span over it.</summary>
    internal unsafe Span<byte> BlockAt(int offset, int length)
    {
        CheckRange(offset, length);
        return new Span<byte>(_memory.AddressAt(offset), length);
    }

    private Memory<byte>[] Blocks()
    {
        if (_blocks is { } blocks)
            return blocks;
        int count = 0;
        foreach (var _ in _memory.Segments(0, Length))
            count++;
        blocks = new Memory<byte>[count];
        var segments = _memory.Segments(0, Length);
        for (int i = 0; segments.MoveNext(); i++)
            blocks[i] = new BufferMemory(this, segments.Offset, segments.Current.Length).Memory;
        return _blocks = blocks;
    }

    private Memory<byte>[] BlocksForIO(SafeFileHandle file, long fileOffset)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegative(fileOffset);
        ThrowIfDisposed();
        return Blocks();
    }

    /// <summary>The blocks after the first <paramref name="done"/> bytes (all of them unless a read came back short).</summary>
    private static IReadOnlyList<Memory<byte>> Remaining(Memory<byte>[] blocks, long done)
    {
        if (done == 0)
            return blocks;
        int index = 0;
        while (done >= blocks[index].Length)
            done -= blocks[index++].Length;
        var rest = blocks[index..];
        rest[0] = rest[0][(int)done..];
        return rest;
    }

    private static ReadOnlyMemory<byte>[] ReadOnlyBlocks(Memory<byte>[] blocks) => Array.ConvertAll(blocks, block => (ReadOnlyMemory<byte>)block);

    private EndOfStreamException ShortRead(long fileOffset, long read) =>
        new($"The file ends {read} bytes after offset {fileOffset}, but this buffer needs {Length} bytes. The buffer holds the {read} bytes read at its start and its earlier contents after them.");

    private sealed class SequenceSegment : ReadOnlySequenceSegment<byte>
    {
        public SequenceSegment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public SequenceSegment Append(ReadOnlyMemory<byte> memory) =>
            (SequenceSegment)(Next = new SequenceSegment(memory, RunningIndex + Memory.Length));
    }
}
