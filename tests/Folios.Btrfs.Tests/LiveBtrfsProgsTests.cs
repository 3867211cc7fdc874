using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Folios.Btrfs.Tests;

/// <summary>Runs only where btrfs-progs is installed: skipped, and says so, elsewhere.</summary>
public sealed class BtrfsProgsTheoryAttribute : TheoryAttribute
{
    public BtrfsProgsTheoryAttribute()
    {
        if (LiveBtrfsProgsTests.Tool("mkfs.btrfs") is null || LiveBtrfsProgsTests.Tool("btrfs") is null)
            Skip = "btrfs-progs (mkfs.btrfs, btrfs) is not installed.";
    }
}

/// <summary>A fresh image from a random folder, read by the sample and by btrfs-progs, compared live.</summary>
public partial class LiveBtrfsProgsTests
{
    /// <summary>Each of btrfs's checksum types, by the name mkfs.btrfs --csum takes.</summary>
    [BtrfsProgsTheory]
    [InlineData("crc32c")]
    [InlineData("xxhash")]
    [InlineData("sha256")]
    [InlineData("blake2")]
    public void A_fresh_image_of_a_random_folder_reads_as_btrfs_progs_reads_it(string checksum)
    {
        var work = Directory.CreateTempSubdirectory("folios-live-").FullName;
        try
        {
            string source = Path.Combine(work, "source"), image = Path.Combine(work, "image"), restored = Path.Combine(work, "restored"), extracted = Path.Combine(work, "extracted");
            var random = new Random(Environment.TickCount);
            RandomFolder(source, random, depth: 0);
            using (var file = File.Create(image))
                file.SetLength(256L << 20);
            int nodeSize = new[] { 4096, 16384, 65536 }[random.Next(3)];
            Exec("mkfs.btrfs", "-q", "-f", "--rootdir", source, "--shrink", "-n", nodeSize.ToString(), "--csum", checksum, image);

            // dump-super: "csum_type		2 (sha256)" and "csum_size		32"; info: "checksum        sha256 (type 2, 32 bytes)".
            var super = Exec("btrfs", "inspect-internal", "dump-super", image);
            var type = Regex.Match(super, @"^csum_type\s+(\d+) \(", RegexOptions.Multiline).Groups[1].Value;
            var size = Regex.Match(super, @"^csum_size\s+(\d+)$", RegexOptions.Multiline).Groups[1].Value;
            var info = Fixtures.Run("info", image, "--page-size", "4096");
            Assert.True(info.Code == 0, info.Error);
            Assert.Contains($"(type {type}, {size} bytes)\n", info.Output);

            foreach (var tree in Fixtures.Trees)
            {
                var expected = string.Concat(KeyLine().Matches(Exec("btrfs", "inspect-internal", "dump-tree", "-t", tree, image)).Select(m => m.Value));
                Assert.Equal(expected, Fixtures.Run("dump-tree", image, "--tree", tree, "--page-size", "4096").Output);
            }
            Directory.CreateDirectory(restored);
            Exec("btrfs", "restore", "-S", image, restored);
            Assert.Equal(0, Fixtures.Run("extract", image, extracted).Code);
            Assert.Equal(Digest(restored), Digest(extracted));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    internal static string? Tool(string name) =>
        new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    [GeneratedRegex(@"^\t(key|item \d+ key) \(.*\n", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    private static void RandomFolder(string directory, Random random, int depth)
    {
        Directory.CreateDirectory(directory);
        for (int i = random.Next(3, 12); i > 0; i--)
        {
            string name = Path.Combine(directory, $"{(char)('a' + random.Next(26))}-{i}-{(random.Next(4) == 0 ? "ñame" : "name")}");
            switch (random.Next(depth < 3 ? 5 : 4))
            {
                case 0:
                    File.CreateSymbolicLink(name, random.Next(2) == 0 ? "target" : "/absolute/target");
                    break;
                case 1:
                    File.WriteAllBytes(name, Encoding.UTF8.GetBytes(new string('t', random.Next(0, 3000))));
                    break;
                case 4:
                    RandomFolder(name, random, depth + 1);
                    break;
                default:
                    var bytes = new byte[random.Next(0, 300_000)];
                    random.NextBytes(bytes);
                    File.WriteAllBytes(name, bytes);
                    break;
            }
        }
    }

    /// <summary>Every entry: its relative path, kind, and content hash or link target.</summary>
    private static string Digest(string root) => string.Join('\n', Directory
        .EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
        .Select(path => new FileInfo(path))
        .Select(info => $"{Path.GetRelativePath(root, info.FullName)} " + (info.LinkTarget is { } target ? $"-> {target}"
            : info.Attributes.HasFlag(FileAttributes.Directory) ? "dir" : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(info.FullName)))))
        .Order(StringComparer.Ordinal));

    private static string Exec(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(Tool(tool)!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), $"{tool} did not finish.");
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed: {error.Result}");
        return output.Result;
    }
}
