using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Folios;
using Folios.Btrfs;
using Microsoft.Win32.SafeHandles;

namespace Folios.Benchmarks;

/// <summary>
/// The real workload: read, checksum and walk every item of every tree block of a btrfs image of 100,000 files
/// (made with mkfs.btrfs at setup; the largest committed fixture where btrfs-progs is missing). Folios with
/// order-0 pages against Folios with one folio per node, and against what a .NET developer writes without Folios:
/// each node read into a pooled byte[] with RandomAccess.Read and parsed with BinaryPrimitives and MemoryMarshal.
/// All three use the same crc32c and read a key as one 17-byte struct, so the difference is the memory and the helpers.
/// </summary>
[MemoryDiagnoser]
public class BtrfsBenchmarks
{
    private const int Files = 100_000;
    private string _work = null!;
    private SafeFileHandle _file = null!;
    private PageAllocator _allocator = null!;
    private long[] _blocks = null!;
    private int _nodeSize;

    [GlobalSetup]
    public void Setup()
    {
        _work = Directory.CreateTempSubdirectory("folios-btrfs-bench-").FullName;
        // FOLIOS_BTRFS_IMAGE names an image to reuse instead of making one (making 100,000 files takes a while).
        string image = Environment.GetEnvironmentVariable("FOLIOS_BTRFS_IMAGE") ?? Path.Combine(_work, "image");
        if (!File.Exists(image) && !TryMakeImage(image))
        {
            using var packed = new GZipStream(File.OpenRead(Path.Combine(Repository(), "Samples/Btrfs/fixtures/multi-level-4k.img.gz")), CompressionMode.Decompress);
            using var output = File.Create(image);
            packed.CopyTo(output);
        }
        var blocks = new List<long>();
        using (var reader = BtrfsImage.Open(image))
        {
            _nodeSize = reader.Superblock.NodeSize;
            foreach (ulong tree in new ulong[] { 1, 2, 3, 5, 7 })
            {
                var (root, level) = reader.TreeRoot(tree);
                reader.Walk(root, level, block => blocks.Add(reader.PhysicalOf(block.Logical)));
            }
        }
        _blocks = [.. blocks];
        Console.WriteLine($"// {_blocks.Length} tree blocks of {_nodeSize} bytes");
        _file = File.OpenHandle(image);
        _allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 64 << 20 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _allocator.Dispose();
        _file.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public ulong PlainByteArray()
    {
        ulong sum = 0;
        var node = ArrayPool<byte>.Shared.Rent(_nodeSize);
        try
        {
            foreach (long physical in _blocks)
            {
                var span = node.AsSpan(0, _nodeSize);
                RandomAccess.Read(_file, span, physical);
                if (BinaryPrimitives.ReadUInt32LittleEndian(span) != Crc32C.Of(span[32..]))
                    throw new InvalidDataException($"checksum at {physical}");
                int items = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[0x60..]);
                int entry = span[0x64] == 0 ? 25 : 33;
                for (int i = 0, at = 101; i < items; i++, at += entry)
                    sum += Sum(MemoryMarshal.Read<DiskKey>(span[at..]).ToKey()) + BinaryPrimitives.ReadUInt32LittleEndian(span[(at + 17)..]);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(node);
        }
        return sum;
    }

    [Benchmark]
    public ulong FoliosPages() => WalkWithFolios(AllocationPolicy.Pages);

    [Benchmark]
    public ulong FoliosSingleFolio() => WalkWithFolios(AllocationPolicy.SingleFolio);

    private ulong WalkWithFolios(AllocationPolicy policy)
    {
        ulong sum = 0;
        // One buffer for the walk, as the plain reader rents one array for it.
        using var node = ExtentBuffer.Allocate(_allocator, _nodeSize, policy);
        foreach (long physical in _blocks)
        {
            node.ReadFrom(_file, physical);
            if (node.ReadUInt32LittleEndian(0) != Crc32C.Of(node.AsSequence(32, _nodeSize - 32)))
                throw new InvalidDataException($"checksum at {physical}");
            int items = (int)node.ReadUInt32LittleEndian(0x60);
            int entry = node.ReadByte(0x64) == 0 ? 25 : 33;
            for (int i = 0, at = 101; i < items; i++, at += entry)
                sum += Sum(node.Read<DiskKey>(at).ToKey()) + node.ReadUInt32LittleEndian(at + 17);
        }
        return sum;
    }

    private static ulong Sum(Key key) => key.ObjectId + key.Type + key.Offset;

    private bool TryMakeImage(string image)
    {
        string? mkfs = new[] { "/usr/sbin/mkfs.btrfs", "/sbin/mkfs.btrfs", "/usr/bin/mkfs.btrfs" }.FirstOrDefault(File.Exists);
        if (mkfs is null)
        {
            Console.WriteLine("// mkfs.btrfs not found: using the multi-level-4k fixture");
            return false;
        }
        string source = Path.Combine(_work, "source");
        for (int i = 0; i < Files; i++)
        {
            string directory = Path.Combine(source, $"d{i % 300}");
            if (i < 300)
                Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, $"file-{i}.txt"), i % 10 == 0 ? new string('x', 5000) : "small");
        }
        using (var file = File.Create(image))
            file.SetLength(2L << 30);
        var start = new ProcessStartInfo(mkfs) { ArgumentList = { "-q", "-f", "--rootdir", source, "--shrink", "-n", "16384", image } };
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Directory.Delete(source, recursive: true);
        return process.ExitCode == 0;
    }

    private static string Repository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Run the benchmarks from the repository.");
    }
}
