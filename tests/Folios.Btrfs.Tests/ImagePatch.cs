using System.Buffers;
using System.Buffers.Binary;

namespace Folios.Btrfs.Tests;

/// <summary>Byte patches on a copy of a fixture, with the checksums fixed up where a test asks for it.</summary>
internal sealed class ImagePatch(string path)
{
    public string Path { get; } = path;

    /// <summary>Every tree block of the five trees: its logical address, where it lies in the file, its level.</summary>
    public List<(ulong Logical, long Physical, int Level)> TreeBlocks()
    {
        var blocks = new List<(ulong, long, int)>();
        using var image = BtrfsImage.Open(Path);
        foreach (ulong tree in new[] { Format.FsTreeObjectId, Format.RootTreeObjectId, Format.ChunkTreeObjectId, Format.ExtentTreeObjectId, Format.CsumTreeObjectId })
        {
            var (root, level) = image.TreeRoot(tree);
            image.Walk(root, level, block => blocks.Add((block.Logical, image.PhysicalOf(block.Logical), block.Level)));
        }
        return blocks;
    }

    /// <summary>The FS tree leaf item with <paramref name="key"/>: the block's file offset and the item's data offset in it.</summary>
    public (long Block, int Data, int Size) FsItem(Func<Key, bool> key)
    {
        using var image = BtrfsImage.Open(Path);
        var (root, level) = image.TreeRoot(Format.FsTreeObjectId);
        (long, int, int)? found = null;
        image.Walk(root, level, block =>
        {
            for (int i = 0; block.Level == 0 && i < block.ItemCount; i++)
            {
                if (found is null && key(block.KeyAt(i)))
                    found = (image.PhysicalOf(block.Logical), block.ItemData(i), block.ItemSize(i));
            }
        });
        return found ?? throw new InvalidOperationException("No such item in the fixture.");
    }

    public ulong Inode(string path)
    {
        using var image = BtrfsImage.Open(Path);
        return new FileSystem(image).InodeOf(path);
    }

    public int NodeSize
    {
        get
        {
            using var image = BtrfsImage.Open(Path);
            return image.Superblock.NodeSize;
        }
    }

    public byte[] ReadAt(long offset, int length)
    {
        var bytes = new byte[length];
        using var file = File.OpenHandle(Path);
        RandomAccess.Read(file, bytes, offset);
        return bytes;
    }

    public void WriteAt(long offset, ReadOnlySpan<byte> bytes)
    {
        using var file = File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.Write(file, bytes, offset);
    }

    public void WriteUInt64(long offset, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        WriteAt(offset, bytes);
    }

    /// <summary>The checksum algorithm the superblock names (read raw: the image may be damaged on purpose).</summary>
    public Checksum Checksum => Checksum.ForType(BinaryPrimitives.ReadUInt16LittleEndian(ReadAt(Format.SuperblockOffset + Format.Super.ChecksumType, 2)));

    /// <summary>Recomputes the checksum of the block of <paramref name="size"/> bytes at <paramref name="offset"/> (a tree block or the superblock).</summary>
    public void FixChecksum(long offset, int size)
    {
        var checksum = Checksum;
        var block = ReadAt(offset, size);
        Span<byte> digest = stackalloc byte[checksum.Size];
        checksum.Compute(new ReadOnlySequence<byte>(block, Format.ChecksumSize, size - Format.ChecksumSize), digest);
        WriteAt(offset, digest);
    }
}
