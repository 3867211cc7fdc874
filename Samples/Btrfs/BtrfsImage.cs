using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Folios.Btrfs;

/// <summary>
/// A read-only btrfs image on one device. Every tree block is read into an <see cref="ExtentBuffer"/> of nodesize
/// bytes with one vectored read and checked (checksum, bytenr, fsid, level, item table) before anything else reads it.
/// The checksum is whichever of btrfs's four the superblock names (crc32c, xxhash64, sha256, blake2b).
/// </summary>
public sealed class BtrfsImage : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly PageAllocator _allocator;
    private readonly AllocationPolicy _policy;
    private readonly ChunkMap _chunks = new();
    private readonly byte[] _fsid;
    private readonly Checksum _checksum;

    private BtrfsImage(SafeFileHandle file, PageAllocator allocator, AllocationPolicy policy)
    {
        _file = file;
        _allocator = allocator;
        _policy = policy;
        using var super = ReadSuperblock(out _checksum);
        _fsid = new byte[Format.FsidSize];
        ulong incompat = super.ReadUInt64LittleEndian(Format.Super.IncompatFlags);
        super.Read((incompat & Format.IncompatMetadataUuid) != 0 ? Format.Super.MetadataUuid : Format.Super.Fsid, _fsid);
        Superblock = new SuperblockInfo(super, _checksum);
        LoadSystemChunks(super);
        Walk(Superblock.ChunkRoot, Superblock.ChunkRootLevel, block =>
        {
            for (int i = 0; block.Level == 0 && i < block.ItemCount; i++)
            {
                var key = block.KeyAt(i);
                if (key.Type == Key.ChunkItem)
                    _chunks.Add(block.Buffer, block.ItemData(i), block.ItemData(i) + block.ItemSize(i), key.Offset, $"chunk tree leaf {block.Logical} item {i}");
            }
        });
    }

    public SuperblockInfo Superblock { get; }

    /// <summary>Opens an image; the allocator's page size and the policy decide the memory each tree block gets.</summary>
    /// <exception cref="CorruptImageException">The image is not readable btrfs; the message says where and why.</exception>
    public static BtrfsImage Open(string path, int pageSize = 4096, AllocationPolicy policy = AllocationPolicy.Pages)
    {
        var file = File.OpenHandle(path);
        var allocator = new PageAllocator(new PageAllocatorOptions { Name = "btrfs", PageSize = pageSize, ArenaBytes = 64L << 20 });
        try
        {
            return new BtrfsImage(file, allocator, policy);
        }
        catch
        {
            allocator.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>The root block and level of tree <paramref name="objectId"/>, from its ROOT_ITEM in the root tree.</summary>
    public (ulong Block, int Level) TreeRoot(ulong objectId)
    {
        if (objectId == Format.RootTreeObjectId)
            return (Superblock.Root, Superblock.RootLevel);
        if (objectId == Format.ChunkTreeObjectId)
            return (Superblock.ChunkRoot, Superblock.ChunkRootLevel);
        (ulong, int)? found = null;
        Walk(Superblock.Root, Superblock.RootLevel, block =>
        {
            for (int i = 0; block.Level == 0 && i < block.ItemCount; i++)
            {
                var key = block.KeyAt(i);
                if (key.ObjectId != objectId || key.Type != Key.RootItem)
                    continue;
                if (block.ItemSize(i) < Format.RootItem.MinSize)
                    throw new CorruptImageException($"root tree leaf {block.Logical} item {i}: ROOT_ITEM of {block.ItemSize(i)} bytes is too short.");
                int data = block.ItemData(i);
                found = (block.Buffer.ReadUInt64LittleEndian(data + Format.RootItem.Bytenr), block.Buffer.ReadByte(data + Format.RootItem.Level));
            }
        });
        return found ?? throw new CorruptImageException($"the root tree has no ROOT_ITEM for tree {Key.ObjectIdName(objectId, Key.RootItem)}.");
    }

    /// <summary>
    /// Visits every block of the tree below <paramref name="root"/>, parents before children: depth first, or level
    /// by level (btrfs-progs' dump-tree order) when <paramref name="breadthFirst"/>. Each child must sit one level
    /// below its parent, carry the generation its parent expects and be reached once, so a tree that points back at
    /// itself, or anywhere but down, ends in an error instead of a loop. One block is held at a time.
    /// </summary>
    internal void Walk(ulong root, int level, Action<TreeBlock> visit, bool breadthFirst = false)
    {
        var pending = new LinkedList<(ulong Block, int Level, ulong? Generation)>();
        pending.AddFirst((root, level, null));
        var visited = new HashSet<ulong>();
        while (pending.First is { } next)
        {
            pending.RemoveFirst();
            var (logical, expectedLevel, generation) = next.Value;
            // Levels only go down, so no walk loops; a block reached twice would still let a crafted image multiply the work.
            if (!visited.Add(logical))
                throw new CorruptImageException($"tree block {logical} is referenced twice in one tree.");
            using var block = ReadBlock(logical, expectedLevel);
            if (generation is { } expected && block.Generation != expected)
                throw new CorruptImageException($"tree block {logical}: generation {block.Generation}, but its parent expects {expected}.");
            visit(block);
            var firstChild = breadthFirst ? null : pending.First;
            for (int i = 0; block.Level > 0 && i < block.ItemCount; i++)
            {
                var (child, childGeneration) = block.ChildAt(i);
                var entry = (child, expectedLevel - 1, (ulong?)childGeneration);
                if (breadthFirst)
                    pending.AddLast(entry);
                else if (firstChild is null)
                    pending.AddLast(entry);
                else
                    pending.AddBefore(firstChild, entry);
            }
        }
    }

    /// <summary>Where tree block <paramref name="logical"/> lies in the image file (tests patch blocks there).</summary>
    internal long PhysicalOf(ulong logical) => _chunks.Map(logical, Superblock.NodeSize, "tree block");

    /// <summary>Where data at <paramref name="logical"/> lies in the image file.</summary>
    internal long PhysicalOfData(ulong logical, long length) => _chunks.Map(logical, length, "data extent");

    /// <summary>Fills <paramref name="destination"/> with the data at logical <paramref name="logical"/>.</summary>
    public void ReadData(ulong logical, Span<byte> destination)
    {
        long physical = _chunks.Map(logical, destination.Length, "data extent");
        int read = RandomAccess.Read(_file, destination, physical);
        while (read < destination.Length)
        {
            int more = RandomAccess.Read(_file, destination[read..], physical + read);
            if (more == 0)
                throw new CorruptImageException($"data extent at logical {logical}: the image ends {read} bytes into it (truncated?).");
            read += more;
        }
    }

    public void Dispose()
    {
        _allocator.Dispose();
        _file.Dispose();
    }

    private TreeBlock ReadBlock(ulong logical, int level)
    {
        int nodeSize = Superblock.NodeSize;
        long physical = _chunks.Map(logical, nodeSize, "tree block");
        var buffer = ExtentBuffer.Allocate(_allocator, nodeSize, _policy);
        var block = new TreeBlock(buffer, logical);
        try
        {
            Check(block, physical, level);
            return block;
        }
        catch
        {
            block.Dispose();
            throw;
        }
    }

    private void Check(TreeBlock block, long physical, int level)
    {
        var buffer = block.Buffer;
        string where = $"tree block {block.Logical} (physical {physical})";
        try
        {
            buffer.ReadFrom(_file, physical);
        }
        catch (EndOfStreamException)
        {
            throw new CorruptImageException($"{where}: the image ends before the block (truncated?).");
        }
        _checksum.Verify(buffer, where);
        ulong bytenr = buffer.ReadUInt64LittleEndian(Format.Header.Bytenr);
        if (bytenr != block.Logical)
            throw new CorruptImageException($"{where}: the header says bytenr {bytenr}.");
        Span<byte> fsid = stackalloc byte[Format.FsidSize];
        buffer.Read(Format.Header.Fsid, fsid);
        if (!fsid.SequenceEqual(_fsid))
            throw new CorruptImageException($"{where}: the header's fsid {Uuid(fsid)} is not the filesystem's {Uuid(_fsid)}.");
        if (block.Level != level)
            throw new CorruptImageException($"{where}: level {block.Level}, but {level} was expected here.");
        int entrySize = level == 0 ? Format.ItemSize : Format.KeyPointerSize;
        int dataSize = buffer.Length - Format.Header.Size;
        if ((long)block.ItemCount * entrySize > dataSize || (level > 0 && block.ItemCount == 0))
            throw new CorruptImageException($"{where}: {block.ItemCount} items do not fit a level {level} block.");
        for (int i = 0; level == 0 && i < block.ItemCount; i++)
        {
            long offset = block.ItemOffset(i), size = block.ItemSize(i);
            if (offset < (long)block.ItemCount * Format.ItemSize || offset + size > dataSize)
                throw new CorruptImageException($"{where}: item {i} (offset {offset}, size {size}) lies outside the leaf's data area.");
        }
    }

    private ExtentBuffer ReadSuperblock(out Checksum checksum)
    {
        var super = ExtentBuffer.Allocate(_allocator, Format.SuperblockSize, _policy);
        try
        {
            super.ReadFrom(_file, Format.SuperblockOffset);
            if (super.ReadUInt64LittleEndian(Format.Super.Magic) != Format.Magic)
                throw new CorruptImageException($"superblock at {Format.SuperblockOffset}: bad magic, this is not a btrfs image.");
            checksum = Checksum.ForType(super.ReadUInt16LittleEndian(Format.Super.ChecksumType));
            checksum.Verify(super, "superblock");
            uint nodeSize = super.ReadUInt32LittleEndian(Format.Super.NodeSize);
            if (nodeSize < 4096 || nodeSize > 65536 || (nodeSize & (nodeSize - 1)) != 0)
                throw new CorruptImageException($"superblock: nodesize {nodeSize} is not a power of two from 4096 to 65536.");
            if (super.ReadUInt64LittleEndian(Format.Super.NumDevices) != 1)
                throw new CorruptImageException($"superblock: {super.ReadUInt64LittleEndian(Format.Super.NumDevices)} devices; only single-device images are supported.");
            if (super.ReadByte(Format.Super.RootLevel) > Format.MaxLevel || super.ReadByte(Format.Super.ChunkRootLevel) > Format.MaxLevel)
                throw new CorruptImageException("superblock: a tree root level is above 7.");
            return super;
        }
        catch (EndOfStreamException)
        {
            super.Dispose();
            throw new CorruptImageException($"superblock at {Format.SuperblockOffset}: the image ends before it (truncated, or not a btrfs image).");
        }
        catch
        {
            super.Dispose();
            throw;
        }
    }

    /// <summary>The chunks that hold the chunk tree itself, from the superblock's system chunk array.</summary>
    private void LoadSystemChunks(ExtentBuffer super)
    {
        int size = (int)super.ReadUInt32LittleEndian(Format.Super.SysChunkArraySize);
        if (size > Format.Super.SysChunkArrayMax)
            throw new CorruptImageException($"superblock: system chunk array of {size} bytes is larger than 2048.");
        int offset = Format.Super.SysChunkArray, end = offset + size;
        while (offset < end)
        {
            if (offset + Format.KeySize > end)
                throw new CorruptImageException("superblock: the system chunk array ends inside a key.");
            var key = super.Read<DiskKey>(offset).ToKey();
            if (key.Type != Key.ChunkItem)
                throw new CorruptImageException($"superblock: the system chunk array holds {key}, not a chunk item.");
            offset += Format.KeySize;
            _chunks.Add(super, offset, end, key.Offset, "superblock system chunk array");
            offset += ChunkMap.ItemSize(super, offset);
        }
    }

    internal static string Uuid(ReadOnlySpan<byte> bytes)
    {
        string hex = Convert.ToHexString(bytes).ToLowerInvariant();
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>What <c>info</c> prints, read once from the checked superblock.</summary>
    public sealed class SuperblockInfo
    {
        internal SuperblockInfo(ExtentBuffer super, Checksum checksum)
        {
            Checksum = checksum.ToString();
            var fsid = new byte[Format.FsidSize];
            super.Read(Format.Super.Fsid, fsid);
            Fsid = Uuid(fsid);
            var label = new byte[Format.Super.LabelSize];
            super.Read(Format.Super.Label, label);
            int end = Array.IndexOf(label, (byte)0);
            Label = Encoding.UTF8.GetString(label, 0, end < 0 ? label.Length : end);
            Generation = super.ReadUInt64LittleEndian(Format.Super.Generation);
            Root = super.ReadUInt64LittleEndian(Format.Super.Root);
            RootLevel = super.ReadByte(Format.Super.RootLevel);
            ChunkRoot = super.ReadUInt64LittleEndian(Format.Super.ChunkRoot);
            ChunkRootLevel = super.ReadByte(Format.Super.ChunkRootLevel);
            NodeSize = (int)super.ReadUInt32LittleEndian(Format.Super.NodeSize);
            SectorSize = (int)super.ReadUInt32LittleEndian(Format.Super.SectorSize);
            TotalBytes = super.ReadUInt64LittleEndian(Format.Super.TotalBytes);
            BytesUsed = super.ReadUInt64LittleEndian(Format.Super.BytesUsed);
            RootDirObjectId = super.ReadUInt64LittleEndian(Format.Super.RootDirObjectId);
        }

        public string Label { get; }
        public string Fsid { get; }
        public ulong Generation { get; }
        public ulong Root { get; }
        public int RootLevel { get; }
        public ulong ChunkRoot { get; }
        public int ChunkRootLevel { get; }
        public int NodeSize { get; }
        public int SectorSize { get; }
        public ulong TotalBytes { get; }
        public ulong BytesUsed { get; }
        public ulong RootDirObjectId { get; }

        /// <summary>The metadata checksum: algorithm, csum_type and digest size, e.g. "sha256 (type 2, 32 bytes)".</summary>
        public string Checksum { get; }
    }
}
