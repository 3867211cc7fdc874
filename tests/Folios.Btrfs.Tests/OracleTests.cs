using System.Security.Cryptography;
using System.Text;

namespace Folios.Btrfs.Tests;

/// <summary>Every fixture, page size and policy against what btrfs-progs printed and restored for the same image.</summary>
public class OracleTests
{
    public static TheoryData<string, int, AllocationPolicy> Combinations()
    {
        var data = new TheoryData<string, int, AllocationPolicy>();
        foreach (var name in Fixtures.Names)
        {
            foreach (int pageSize in new[] { 4096, 16384, 65536 })
            {
                foreach (var policy in Enum.GetValues<AllocationPolicy>())
                    data.Add(name, pageSize, policy);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Ls_and_dump_tree_print_what_btrfs_progs_recorded(string name, int pageSize, AllocationPolicy policy)
    {
        string[] options = ["--page-size", pageSize.ToString(), "--policy", policy.ToString()];
        var (code, listing, error) = Fixtures.Run(["ls", Fixtures.Image(name), .. options]);
        Assert.True(code == 0, error);
        Assert.Equal(Fixtures.Oracle(name, "listing"), listing);
        foreach (var tree in Fixtures.Trees)
        {
            var (treeCode, keys, treeError) = Fixtures.Run(["dump-tree", Fixtures.Image(name), "--tree", tree, .. options]);
            Assert.True(treeCode == 0, treeError);
            Assert.True(Fixtures.Oracle(name, $"{tree}.keys") == keys, $"{tree} tree differs from btrfs-progs' dump-tree");
        }
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Extract_writes_the_files_btrfs_restore_wrote(string name, int pageSize, AllocationPolicy policy)
    {
        string output = Directory.CreateTempSubdirectory("folios-extract-").FullName;
        try
        {
            var (code, _, error) = Fixtures.Run("extract", Fixtures.Image(name), output, "--page-size", pageSize.ToString(), "--policy", policy.ToString());
            Assert.True(code == 0, error);
            var sums = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
                .Where(path => !new FileInfo(path).Attributes.HasFlag(FileAttributes.ReparsePoint))
                .Select(path => $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}  {Path.GetRelativePath(output, path)}")
                .OrderBy(line => Encoding.UTF8.GetBytes(line[66..]), ByteOrder.Instance);
            Assert.Equal(Fixtures.OracleLines(name, "sha256"), sums);
            var links = Directory.EnumerateFileSystemEntries(output, "*", SearchOption.AllDirectories)
                .Where(path => new FileInfo(path).LinkTarget is not null)
                .Select(path => $"{Path.GetRelativePath(output, path)}\t{new FileInfo(path).LinkTarget}")
                .OrderBy(line => Encoding.UTF8.GetBytes(line), ByteOrder.Instance);
            Assert.Equal(Fixtures.OracleLines(name, "symlinks"), links);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void Cat_prints_a_file_and_ls_of_a_subdirectory_is_relative_to_it()
    {
        string image = Fixtures.Image("one-leaf-16k");
        var bytes = Fixtures.RunBytes("cat", image, "ünïcödé dïr/名前.txt");
        var expected = Fixtures.OracleLines("one-leaf-16k", "sha256").Single(line => line.EndsWith("ünïcödé dïr/名前.txt", StringComparison.Ordinal));
        Assert.Equal(expected[..64], Convert.ToHexStringLower(SHA256.HashData(bytes)));

        var (code, listing, _) = Fixtures.Run("ls", image, "/nested/a");
        Assert.Equal(0, code);
        Assert.Equal(["d 2 b", "d 2 b/c", "d 16 b/c/d", "f 9000 b/c/d/deep.txt", "l 261 long-target-link"], listing.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    public static TheoryData<string> Names() => new(Fixtures.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Info_prints_the_superblock_fields_btrfs_progs_dump_super_printed(string name)
    {
        var super = Fixtures.OracleLines(name, "super")
            .Select(line => line.Split('\t', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(fields => fields[0], fields => fields[1]);
        var (code, info, error) = Fixtures.Run("info", Fixtures.Image(name));
        Assert.True(code == 0, error);
        var printed = info.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(line => line[..16].TrimEnd(), line => line[16..]);
        Assert.Equal(super["fsid"], printed["fsid"]);
        Assert.Equal(super["generation"], printed["generation"]);
        Assert.Equal(super["nodesize"], printed["nodesize"]);
        Assert.Equal(super["sectorsize"], printed["sectorsize"]);
        Assert.Equal(super["total_bytes"], printed["total bytes"]);
        Assert.Equal(super["bytes_used"], printed["bytes used"]);
        // dump-super prints "2 (sha256)", info "sha256 (type 2, 32 bytes)"; the names differ for blake2b (btrfs-progs: "blake2").
        Assert.EndsWith($"(type {super["csum_type"].Split(' ')[0]}, {super["csum_size"]} bytes)", printed["checksum"]);
    }

    [Fact]
    public void Info_names_the_filesystem_and_its_tree_roots()
    {
        var (code, info, _) = Fixtures.Run("info", Fixtures.Image("multi-level-4k"));
        Assert.Equal(0, code);
        Assert.Contains("nodesize        4096", info);
        Assert.Matches(@"fsid            [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n", info);
        Assert.Matches(@"fs tree         \d+ level 2\n", info);
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
