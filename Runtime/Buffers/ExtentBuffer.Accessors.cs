using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Folios;

public sealed unsafe partial class ExtentBuffer
{
    private const int MoveChunk = 1024;

    /// <summary>Copies bytes from the buffer into <paramref name="destination"/> (read_extent_buffer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [PageHelper]
    public void Read(int offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length, lengthName: nameof(destination));
        _memory.CopyOut(offset, destination);
    }

    /// <summary>Copies <paramref name="source"/> into the buffer (write_extent_buffer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [PageHelper]
    public void Write(int offset, ReadOnlySpan<byte> source)
    {
        CheckRange(offset, source.Length, lengthName: nameof(source));
        _memory.CopyIn(offset, source);
    }

    /// <summary>Reads one byte.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public byte ReadByte(int offset) => Read<byte>(offset);

    /// <summary>Writes one byte.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public void WriteByte(int offset, byte value) => Write(offset, value);

    /// <summary>Reads a little-endian UInt16, split across pages when needed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public ushort ReadUInt16LittleEndian(int offset) => LittleEndian(Read<ushort>(offset));

    /// <summary>Reads a little-endian UInt32, split across pages when needed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public uint ReadUInt32LittleEndian(int offset) => LittleEndian(Read<uint>(offset));

    /// <summary>Reads a little-endian UInt64, split across pages when needed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public ulong ReadUInt64LittleEndian(int offset) => LittleEndian(Read<ulong>(offset));

    /// <summary>Writes a little-endian UInt16, split across pages when needed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public void WriteUInt16LittleEndian(int offset, ushort value) => Write(offset, LittleEndian(value));

    /// <summary>Writes a little-endian UInt32, split across pages when needed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public void WriteUInt32LittleEndian(int offset, uint value) => Write(offset, LittleEndian(value));

    /// <summary>Writes a little-endian UInt64, split across pages when needed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public void WriteUInt64LittleEndian(int offset, ulong value) => Write(offset, LittleEndian(value));

    /// <summary>Reads an unmanaged value in machine byte order (read_eb_member).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Read<T>(int offset) where T : unmanaged
    {
        CheckRange(offset, Unsafe.SizeOf<T>(), lengthName: nameof(offset));
        return _memory.Read<T>(offset);
    }

    /// <summary>Writes an unmanaged value in machine byte order (write_eb_member).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write<T>(int offset, in T value) where T : unmanaged
    {
        CheckRange(offset, Unsafe.SizeOf<T>(), lengthName: nameof(offset));
        _memory.Write(offset, value);
    }

    /// <summary>Compares the range at <paramref name="offset"/> with <paramref name="other"/> (memcmp_extent_buffer).</summary>
    /// <returns>Negative, zero or positive, as <see cref="MemoryExtensions.SequenceCompareTo{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [PageHelper]
    public int Compare(int offset, ReadOnlySpan<byte> other)
    {
        CheckRange(offset, other.Length, lengthName: nameof(other));
        foreach (var segment in _memory.Segments(offset, other.Length))
        {
            int result = ((ReadOnlySpan<byte>)segment).SequenceCompareTo(other[..segment.Length]);
            if (result != 0)
                return result;
            other = other[segment.Length..];
        }
        return 0;
    }

    /// <summary>Copies a whole buffer of the same length into this one (copy_extent_buffer_full).</summary>
    /// <exception cref="ArgumentNullException">The source is null.</exception>
    /// <exception cref="ArgumentException">The source's length differs from this buffer's.</exception>
    /// <exception cref="ObjectDisposedException">Either buffer or its allocator was disposed.</exception>
    public void CopyFrom(ExtentBuffer source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length != Length)
            throw new ArgumentException($"The source buffer has length {source.Length}, this buffer {Length}; CopyFrom of a whole buffer needs equal lengths.", nameof(source));
        CopyFrom(source, 0, 0, Length);
    }

    /// <summary>Copies a range of another buffer into this one (copy_extent_buffer); overlap-safe within one buffer.</summary>
    /// <exception cref="ArgumentNullException">The source is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [PageHelper]
    public void CopyFrom(ExtentBuffer source, int destinationOffset, int sourceOffset, int length)
    {
        ArgumentNullException.ThrowIfNull(source);
        source.CheckRangeOfTwo(sourceOffset, length, nameof(sourceOffset));
        CheckRangeOfTwo(destinationOffset, length, nameof(destinationOffset));
        if (ReferenceEquals(source, this))
        {
            Move(destinationOffset, sourceOffset, length);
            return;
        }
        var segments = source._memory.Segments(sourceOffset, length);
        while (segments.MoveNext())
            _memory.CopyIn(destinationOffset + segments.Offset - sourceOffset, segments.Current);
    }

    /// <summary>Moves a range within the buffer; the ranges may overlap in either direction (memmove_extent_buffer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [PageHelper]
    public void Move(int destinationOffset, int sourceOffset, int length)
    {
        CheckRangeOfTwo(sourceOffset, length, nameof(sourceOffset));
        CheckRangeOfTwo(destinationOffset, length, nameof(destinationOffset));
        if (length == 0 || destinationOffset == sourceOffset)
            return;
        // Both ranges each in one block of memory (always so in a contiguous buffer): one overlap-safe copy.
        if (_memory.TryGetSpan(sourceOffset, length, out var from) && _memory.TryGetSpan(destinationOffset, length, out var to))
        {
            from.CopyTo(to);
            return;
        }

        // Chunks through a bounce buffer, front to back when moving down and back to front when moving up,
        // so that no chunk overwrites source bytes not yet copied.
        Span<byte> bounce = stackalloc byte[MoveChunk];
        bool forward = destinationOffset < sourceOffset;
        for (int done = 0; done < length;)
        {
            int size = Math.Min(MoveChunk, length - done);
            int at = forward ? done : length - done - size;
            var chunk = bounce[..size];
            _memory.CopyOut(sourceOffset + at, chunk);
            _memory.CopyIn(destinationOffset + at, chunk);
            done += size;
        }
    }

    /// <summary>Zeroes a range (memzero_extent_buffer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [PageHelper]
    public void Clear(int offset, int length)
    {
        CheckRange(offset, length);
        foreach (var segment in _memory.Segments(offset, length))
            segment.Clear();
    }

    /// <summary>Tests bit <paramref name="bit"/> of the bitmap that starts at byte <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public bool TestBit(int start, int bit)
    {
        var (byteOffset, _) = BitRange(start, bit, 1, nameof(bit), nameof(bit));
        return (*_memory.AddressAt(byteOffset) & (1 << (bit & 7))) != 0;
    }

    /// <summary>Sets <paramref name="count"/> bits from <paramref name="position"/> of the bitmap at byte <paramref name="start"/>.</summary>
    /// <remarks>Byte-granular, as btrfs does, because a machine word of the bitmap may straddle two pages.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public void SetBits(int start, int position, int count) => UpdateBits(start, position, count, set: true);

    /// <summary>Clears <paramref name="count"/> bits from <paramref name="position"/> of the bitmap at byte <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer (or a length or count is negative); nothing was touched. The exception names the parameter at fault.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    public void ClearBits(int start, int position, int count) => UpdateBits(start, position, count, set: false);

    private void UpdateBits(int start, int position, int count, bool set)
    {
        var (firstByte, byteCount) = BitRange(start, position, count, nameof(position), nameof(count));
        if (count == 0)
            return; // an empty range at an unaligned bit still names one byte: leave it alone
        // In longs: position + count may pass int.MaxValue in a buffer of more than 256 MiB.
        long bit = position, end = (long)position + count;
        foreach (var segment in _memory.Segments(firstByte, byteCount))
        {
            for (int i = 0; i < segment.Length; i++)
            {
                int inByte = (int)(bit & 7);
                int bits = (int)Math.Min(8 - inByte, end - bit);
                byte mask = (byte)(((1 << bits) - 1) << inByte);
                segment[i] = set ? (byte)(segment[i] | mask) : (byte)(segment[i] & ~mask);
                bit += bits;
            }
        }
    }

    private static ushort LittleEndian(ushort value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);

    private static uint LittleEndian(uint value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);

    private static ulong LittleEndian(ulong value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
}
