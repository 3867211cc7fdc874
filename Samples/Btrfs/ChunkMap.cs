namespace Folios.Btrfs;

/// <summary>Logical to physical addresses on one device, SINGLE and DUP profiles (both copies of DUP hold the same bytes).</summary>
internal sealed class ChunkMap
{
    private const ulong ProfileMask = 0x7F8; // RAID0, RAID1, DUP, RAID10, RAID5, RAID6, RAID1C3, RAID1C4
    private const ulong Dup = 1 << 5;
    private readonly List<(ulong Start, ulong Length, ulong Physical)> _chunks = [];

    /// <summary>Adds the chunk item at <paramref name="offset"/> of <paramref name="buffer"/>, checked against <paramref name="limit"/>.</summary>
    public void Add(ExtentBuffer buffer, int offset, int limit, ulong logical, string where)
    {
        if (offset + Format.Chunk.Size > limit)
            throw new CorruptImageException($"{where}: the chunk item for logical {logical} is cut off.");
        ulong length = buffer.ReadUInt64LittleEndian(offset + Format.Chunk.Length);
        ulong type = buffer.ReadUInt64LittleEndian(offset + Format.Chunk.Type);
        int stripes = buffer.ReadUInt16LittleEndian(offset + Format.Chunk.StripeCount);
        if (stripes == 0 || offset + Format.Chunk.Size + stripes * Format.Chunk.StripeSize > limit)
            throw new CorruptImageException($"{where}: the chunk item for logical {logical} has {stripes} stripes that do not fit.");
        if ((type & ProfileMask & ~Dup) != 0)
            throw new CorruptImageException($"{where}: chunk at logical {logical} has profile flags 0x{type & ProfileMask:x}; only SINGLE and DUP are supported.");
        if (length == 0 || logical + length < logical)
            throw new CorruptImageException($"{where}: chunk at logical {logical} has an impossible length {length}.");
        ulong physical = buffer.ReadUInt64LittleEndian(offset + Format.Chunk.Size + Format.Chunk.StripeOffset);
        if (!_chunks.Exists(chunk => chunk.Start == logical))
            _chunks.Add((logical, length, physical));
    }

    /// <summary>The size of the chunk item at <paramref name="offset"/> (it was checked by <see cref="Add"/>).</summary>
    public static int ItemSize(ExtentBuffer buffer, int offset) =>
        Format.Chunk.Size + buffer.ReadUInt16LittleEndian(offset + Format.Chunk.StripeCount) * Format.Chunk.StripeSize;

    /// <summary>The physical offset of [logical, logical + length).</summary>
    /// <exception cref="CorruptImageException">No chunk maps the whole range.</exception>
    public long Map(ulong logical, long length, string what)
    {
        foreach (var (start, size, physical) in _chunks)
        {
            if (logical >= start && logical - start < size)
            {
                if ((ulong)length > size - (logical - start))
                    throw new CorruptImageException($"{what} at logical {logical} ({length} bytes) runs past the end of its chunk at {start}.");
                ulong address = physical + (logical - start);
                return address > long.MaxValue ? throw new CorruptImageException($"{what} at logical {logical} maps to an impossible physical offset.") : (long)address;
            }
        }
        throw new CorruptImageException($"{what} at logical {logical}: no chunk maps this address.");
    }
}
