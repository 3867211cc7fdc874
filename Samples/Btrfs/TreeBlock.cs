namespace Folios.Btrfs;

/// <summary>
/// One tree block (node or leaf) in an <see cref="ExtentBuffer"/> of nodesize bytes. Its header and item table were
/// checked when it was read, so every item offset and size lies inside the block; every read goes through the
/// buffer's helpers, because items straddle pages.
/// </summary>
internal sealed class TreeBlock(ExtentBuffer buffer, ulong logical) : IDisposable
{
    public ulong Logical { get; } = logical;

    public int Level => buffer.ReadByte(Format.Header.Level);

    public int ItemCount => (int)buffer.ReadUInt32LittleEndian(Format.Header.ItemCount);

    public ulong Generation => buffer.ReadUInt64LittleEndian(Format.Header.Generation);

    public ulong Owner => buffer.ReadUInt64LittleEndian(Format.Header.Owner);

    public ExtentBuffer Buffer => buffer;

    /// <summary>The key of item (leaf) or pointer (node) <paramref name="index"/>.</summary>
    public Key KeyAt(int index) => ReadKey(Level == 0
        ? Format.Header.Size + index * Format.ItemSize
        : Format.Header.Size + index * Format.KeyPointerSize);

    /// <summary>A node's child block and the generation it expects.</summary>
    public (ulong Block, ulong Generation) ChildAt(int index)
    {
        int at = Format.Header.Size + index * Format.KeyPointerSize + Format.KeySize;
        return (buffer.ReadUInt64LittleEndian(at), buffer.ReadUInt64LittleEndian(at + 8));
    }

    /// <summary>A leaf item's data offset relative to the end of the header, as btrfs-progs prints it.</summary>
    public int ItemOffset(int index) => (int)buffer.ReadUInt32LittleEndian(Format.Header.Size + index * Format.ItemSize + Format.KeySize);

    public int ItemSize(int index) => (int)buffer.ReadUInt32LittleEndian(Format.Header.Size + index * Format.ItemSize + Format.KeySize + 4);

    /// <summary>Where item <paramref name="index"/>'s data starts in the block.</summary>
    public int ItemData(int index) => Format.Header.Size + ItemOffset(index);

    public Key ReadKey(int offset) => buffer.Read<DiskKey>(offset).ToKey();

    public byte[] ReadBytes(int offset, int length)
    {
        var bytes = new byte[length];
        buffer.Read(offset, bytes);
        return bytes;
    }

    public void Dispose() => buffer.Dispose();
}
