using System.Text;

namespace Folios.Btrfs;

/// <summary>The FS tree read into memory: inodes, directory entries and file extents, for ls, cat and extract.</summary>
public sealed class FileSystem
{
    private const ulong RootDirectory = 256;
    private readonly BtrfsImage _image;
    private readonly Dictionary<ulong, (ulong Size, uint Mode)> _inodes = [];
    private readonly Dictionary<ulong, List<Entry>> _entries = [];
    private readonly Dictionary<ulong, List<(ulong FileOffset, byte[] Item)>> _extents = [];

    public FileSystem(BtrfsImage image)
    {
        _image = image;
        var (root, level) = image.TreeRoot(Format.FsTreeObjectId);
        image.Walk(root, level, block =>
        {
            for (int i = 0; block.Level == 0 && i < block.ItemCount; i++)
                Collect(block, i);
        });
    }

    /// <summary>The kinds <c>ls</c> prints; other inode types (devices, fifos, sockets) are left out.</summary>
    public enum EntryType
    {
        Directory = 'd',
        File = 'f',
        Symlink = 'l',
    }

    /// <summary>A directory entry: the child's name as stored (bytes), its inode and type.</summary>
    public sealed record Entry(byte[] Name, ulong Inode, EntryType? Type);

    /// <summary>Every directory, file and symlink below <paramref name="path"/>, relative and '/'-separated, in ordinal byte order.</summary>
    public IReadOnlyList<(EntryType Type, ulong Size, string Path)> List(string path)
    {
        ulong start = Resolve(path, out var type);
        if (type != EntryType.Directory)
            throw new CorruptImageException($"'{path}' is not a directory.");
        var found = new List<(EntryType, ulong, byte[])>();
        Collect(start, [], found, visited: [start]);
        found.Sort((a, b) => a.Item3.AsSpan().SequenceCompareTo(b.Item3));
        return found.ConvertAll(entry => (entry.Item1, entry.Item2, Encoding.UTF8.GetString(entry.Item3)));
    }

    /// <summary>Writes the file's bytes: inline and regular extents, holes (also implicit ones), preallocated extents as zeros.</summary>
    public void Cat(string path, Stream output)
    {
        ulong inode = Resolve(path, out var type);
        if (type != EntryType.File)
            throw new CorruptImageException($"'{path}' is not a regular file.");
        WriteContents(inode, output);
    }

    /// <summary>Writes every file, directory and symlink into <paramref name="directory"/>, as <c>btrfs restore -S</c> does.</summary>
    public void Extract(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (type, _, path) in List("/"))
        {
            string target = Path.Combine(directory, path);
            ulong inode = Resolve(path, out _);
            switch (type)
            {
                case EntryType.Directory:
                    Directory.CreateDirectory(target);
                    break;
                case EntryType.Symlink:
                    File.CreateSymbolicLink(target, SymlinkTarget(inode));
                    break;
                default:
                    using (var file = File.Create(target))
                        WriteContents(inode, file);
                    break;
            }
        }
    }

    /// <summary>Where a symlink points: the bytes of its inline extent.</summary>
    public string SymlinkTarget(ulong inode)
    {
        using var bytes = new MemoryStream();
        WriteContents(inode, bytes);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>The inode a path names.</summary>
    internal ulong InodeOf(string path) => Resolve(path, out _);

    private void Collect(TreeBlock block, int index)
    {
        var key = block.KeyAt(index);
        int data = block.ItemData(index), size = block.ItemSize(index);
        string where = $"fs tree leaf {block.Logical} item {index} {key}";
        switch (key.Type)
        {
            case Key.InodeItem:
                if (size < Format.Inode.ItemSize)
                    throw new CorruptImageException($"{where}: inode item of {size} bytes is too short.");
                _inodes[key.ObjectId] = (block.Buffer.ReadUInt64LittleEndian(data + Format.Inode.Size), block.Buffer.ReadUInt32LittleEndian(data + Format.Inode.Mode));
                break;
            case Key.DirIndex:
                if (size < Format.DirItem.Size)
                    throw new CorruptImageException($"{where}: directory item of {size} bytes is too short.");
                int nameLength = block.Buffer.ReadUInt16LittleEndian(data + Format.DirItem.NameLength);
                if (nameLength == 0 || Format.DirItem.Size + nameLength > size)
                    throw new CorruptImageException($"{where}: a name of {nameLength} bytes does not fit the item.");
                var location = block.ReadKey(data + Format.DirItem.Location);
                var type = block.Buffer.ReadByte(data + Format.DirItem.Type) switch
                {
                    Format.DirTypeFile => EntryType.File,
                    Format.DirTypeDirectory => EntryType.Directory,
                    Format.DirTypeSymlink => EntryType.Symlink,
                    _ => (EntryType?)null,
                };
                var name = block.ReadBytes(data + Format.DirItem.Size, nameLength);
                if (name.AsSpan().IndexOfAny((byte)'/', (byte)0) >= 0 || name is [(byte)'.'] or [(byte)'.', (byte)'.'])
                    throw new CorruptImageException($"{where}: the name is not a valid file name.");
                ListOf(_entries, key.ObjectId).Add(new Entry(name, location.ObjectId, type));
                break;
            case Key.ExtentData:
                if (size < Format.FileExtent.InlineData)
                    throw new CorruptImageException($"{where}: file extent item of {size} bytes is too short.");
                ListOf(_extents, key.ObjectId).Add((key.Offset, block.ReadBytes(data, size)));
                break;
        }
    }

    /// <summary>The list of an inode in one of the maps, made when the FS tree first names it.</summary>
    private static List<T> ListOf<T>(Dictionary<ulong, List<T>> map, ulong inode)
    {
        if (!map.TryGetValue(inode, out var list))
            map[inode] = list = [];
        return list;
    }

    /// <summary>A directory's entries; none for an empty directory (reading never adds to the maps).</summary>
    private List<Entry> EntriesOf(ulong directory) => _entries.GetValueOrDefault(directory) ?? [];

    private void Collect(ulong directory, byte[] prefix, List<(EntryType, ulong, byte[])> found, HashSet<ulong> visited)
    {
        foreach (var entry in EntriesOf(directory))
        {
            if (entry.Type is not { } type)
                continue;
            byte[] path = prefix.Length == 0 ? entry.Name : [.. prefix, (byte)'/', .. entry.Name];
            found.Add((type, InodeOf(entry.Inode).Size, path));
            // A directory has one name (no hard links to directories): a second one is a loop or a shared subtree,
            // either of which would make the walk endless or exponential.
            if (type == EntryType.Directory && !visited.Add(entry.Inode))
                throw new CorruptImageException($"directory {entry.Inode} is named twice (a directory loop?).");
            if (type == EntryType.Directory)
                Collect(entry.Inode, path, found, visited);
        }
    }

    private (ulong Size, uint Mode) InodeOf(ulong inode) =>
        _inodes.TryGetValue(inode, out var found) ? found : throw new CorruptImageException($"inode {inode} is named in a directory but has no INODE_ITEM.");

    private ulong Resolve(string path, out EntryType? type)
    {
        ulong inode = RootDirectory;
        type = EntryType.Directory;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (type != EntryType.Directory)
                throw new CorruptImageException($"'{path}': a part before '{part}' is not a directory.");
            var name = Encoding.UTF8.GetBytes(part);
            var entry = EntriesOf(inode).Find(e => e.Name.AsSpan().SequenceEqual(name))
                ?? throw new FileNotFoundException($"'{path}' does not exist in the image.");
            (inode, type) = (entry.Inode, entry.Type);
        }
        return inode;
    }

    private void WriteContents(ulong inode, Stream output)
    {
        ulong size = InodeOf(inode).Size, written = 0;
        string where = $"inode {inode}";
        foreach (var (fileOffset, item) in _extents.GetValueOrDefault(inode) ?? [])
        {
            if (written >= size)
                break;
            if (fileOffset < written)
                throw new CorruptImageException($"{where}: the extent at file offset {fileOffset} overlaps the one before.");
            WriteZeros(output, Math.Min(fileOffset, size) - written);
            written = Math.Min(fileOffset, size);
            var extent = FileExtent.Decode(item, $"{where} extent at {fileOffset}");
            ulong length = Math.Min(extent.Length, size - written);
            extent.Write(_image, output, length);
            written += length;
        }
        WriteZeros(output, size - written);
    }

    /// <summary>Zeros for a hole: skipped over in a file (which stays sparse), written to a pipe.</summary>
    internal static void WriteZeros(Stream output, ulong count)
    {
        if (output.CanSeek && count > 0)
        {
            long end = checked(output.Position + (long)count);
            output.SetLength(Math.Max(output.Length, end));
            output.Position = end;
            return;
        }
        Span<byte> zeros = stackalloc byte[4096];
        zeros.Clear();
        for (; count > 0; count -= Math.Min(count, 4096))
            output.Write(zeros[..(int)Math.Min(count, 4096)]);
    }
}
