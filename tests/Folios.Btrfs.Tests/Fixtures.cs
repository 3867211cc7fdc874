using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;

namespace Folios.Btrfs.Tests;

/// <summary>The committed images (made by btrfs-progs with Samples/Btrfs/fixtures/make.sh) and their oracle files.</summary>
internal static class Fixtures
{
    public static readonly string[] Names = ["one-leaf-16k", "varied-4k", "varied-64k", "multi-level-4k", "xxhash-16k", "sha256-16k", "blake2-16k"];
    public static readonly string[] Trees = ["fs", "root", "chunk", "extent", "csum"];

    /// <summary>A 16K-node fixture per checksum type, with the kernel's name for the type.</summary>
    public static readonly TheoryData<string, string> PerChecksum = new()
    {
        { "one-leaf-16k", "crc32c" },
        { "xxhash-16k", "xxhash64" },
        { "sha256-16k", "sha256" },
        { "blake2-16k", "blake2b" },
    };
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "fixtures");
    private static readonly string Unpacked = Unpack();
    private static readonly ConcurrentDictionary<string, Lazy<string>> Images = new();

    /// <summary>The image unpacked once per test run (test classes run in parallel: the Lazy makes one of them unpack
    /// and the others wait); tests that change bytes work on a <see cref="Copy"/>.</summary>
    public static string Image(string name) => Images.GetOrAdd(name, _ => new Lazy<string>(() =>
    {
        string path = Path.Combine(Unpacked, name + ".img");
        using (var packed = new GZipStream(File.OpenRead(Path.Combine(Directory, name + ".img.gz")), CompressionMode.Decompress))
        using (var image = File.Create(path))
            packed.CopyTo(image);
        return path;
    })).Value;

    /// <summary>
    /// A fresh directory for this run's images (about 2 GB with the copies). The test host is killed soon after the
    /// last test, before an exit handler could delete that much, so each run removes what earlier runs left instead
    /// (directories untouched for an hour: a run going on beside this one keeps its own); left alone, a few dozen
    /// runs filled this machine's disk.
    /// </summary>
    private static string Unpack()
    {
        foreach (string stale in System.IO.Directory.GetDirectories(Path.GetTempPath(), "folios-btrfs-*"))
        {
            try
            {
                if (System.IO.Directory.GetLastWriteTimeUtc(stale) < DateTime.UtcNow.AddHours(-1))
                    System.IO.Directory.Delete(stale, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's, or in use: not ours to insist on.
            }
        }
        return System.IO.Directory.CreateTempSubdirectory("folios-btrfs-").FullName;
    }

    public static string Copy(string name)
    {
        string path = Path.Combine(Unpacked, $"{name}-{Guid.NewGuid():N}.img");
        File.Copy(Image(name), path);
        return path;
    }

    public static string Oracle(string name, string extension) => File.ReadAllText(Path.Combine(Directory, $"{name}.{extension}"), Encoding.UTF8);

    public static string[] OracleLines(string name, string extension) =>
        Oracle(name, extension).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs the sample's command line in-process: exit code, standard output, standard error.</summary>
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        var stderr = new StringWriter();
        int code = Commands.Run(args, stdout, stderr);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    public static byte[] RunBytes(params string[] args)
    {
        using var stdout = new MemoryStream();
        var stderr = new StringWriter();
        Assert.Equal(0, Commands.Run(args, stdout, stderr));
        return stdout.ToArray();
    }
}
