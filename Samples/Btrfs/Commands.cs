using System.Globalization;

namespace Folios.Btrfs;

/// <summary>The sample's commands; each writes to the given writer, so tests run them in-process.</summary>
public static class Commands
{
    public const string Usage = """
        usage: folios-btrfs COMMAND IMAGE [ARGS] [--page-size 4096|16384|65536] [--policy Pages|SingleFolio|FolioOrPages|FolioOrMapped]
          info IMAGE                                        superblock summary
          ls IMAGE [PATH]                                   TYPE SIZE PATH of everything below PATH
          cat IMAGE PATH                                    a file's bytes to standard output
          extract IMAGE OUTDIR                              every file, directory and symlink
          dump-tree IMAGE --tree fs|root|chunk|extent|csum  the key lines of btrfs-progs' dump-tree
        """;

    private static readonly Dictionary<string, ulong> Trees = new()
    {
        ["fs"] = Format.FsTreeObjectId,
        ["root"] = Format.RootTreeObjectId,
        ["chunk"] = Format.ChunkTreeObjectId,
        ["extent"] = Format.ExtentTreeObjectId,
        ["csum"] = Format.CsumTreeObjectId,
    };

    /// <summary>Runs one command line; returns the exit code (0, 1 for a bad image or path, 2 for bad usage).</summary>
    public static int Run(string[] args, Stream stdout, TextWriter stderr)
    {
        var options = new Dictionary<string, string>();
        var positional = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
                options[args[i]] = args[++i];
            else
                positional.Add(args[i]);
        }
        if (!TryOptions(options, out int pageSize, out var policy, out string? problem) || positional.Count < 2)
        {
            stderr.WriteLine(problem ?? Usage);
            return 2;
        }
        var output = new StreamWriter(stdout, leaveOpen: true) { NewLine = "\n" };
        try
        {
            using var image = BtrfsImage.Open(positional[1], pageSize, policy);
            int code = Execute(positional[0], image, positional.Skip(2).ToList(), options, stdout, output, stderr);
            output.Flush();
            return code;
        }
        catch (Exception error) when (error is CorruptImageException or IOException or UnauthorizedAccessException or PageAllocationException or PlatformNotSupportedException or OverflowException)
        {
            output.Flush();
            stderr.WriteLine($"error: {error.Message}");
            return 1;
        }
    }

    private static int Execute(string command, BtrfsImage image, List<string> rest, Dictionary<string, string> options, Stream stdout, StreamWriter output, TextWriter stderr)
    {
        switch (command)
        {
            case "info":
                Info(image, output);
                return 0;
            case "ls":
                foreach (var (type, size, path) in new FileSystem(image).List(rest.Count > 0 ? rest[0] : "/"))
                    output.WriteLine($"{(char)type} {size.ToString(CultureInfo.InvariantCulture)} {path}");
                return 0;
            case "cat" when rest.Count == 1:
                output.Flush();
                new FileSystem(image).Cat(rest[0], stdout);
                return 0;
            case "extract" when rest.Count == 1:
                new FileSystem(image).Extract(rest[0]);
                return 0;
            case "dump-tree" when options.TryGetValue("--tree", out var tree) && Trees.TryGetValue(tree, out ulong objectId):
                DumpTree(image, objectId, output);
                return 0;
            default:
                stderr.WriteLine(Usage);
                return 2;
        }
    }

    private static void Info(BtrfsImage image, TextWriter output)
    {
        var super = image.Superblock;
        output.WriteLine($"label           {super.Label}");
        output.WriteLine($"fsid            {super.Fsid}");
        output.WriteLine($"generation      {super.Generation}");
        output.WriteLine($"checksum        {super.Checksum}");
        output.WriteLine($"nodesize        {super.NodeSize}");
        output.WriteLine($"sectorsize      {super.SectorSize}");
        output.WriteLine($"total bytes     {super.TotalBytes}");
        output.WriteLine($"bytes used      {super.BytesUsed}");
        foreach (var (name, objectId) in Trees)
        {
            var (block, level) = image.TreeRoot(objectId);
            output.WriteLine($"{name + " tree",-15} {block} level {level}");
        }
    }

    /// <summary>The lines btrfs-progs' dump-tree prints for node pointers and leaf items, in its order (level by level).</summary>
    private static void DumpTree(BtrfsImage image, ulong objectId, TextWriter output)
    {
        var (root, level) = image.TreeRoot(objectId);
        image.Walk(root, level, block =>
        {
            for (int i = 0; i < block.ItemCount; i++)
            {
                if (block.Level > 0)
                {
                    var (child, generation) = block.ChildAt(i);
                    output.WriteLine($"\t{block.KeyAt(i)} block {child} gen {generation}");
                }
                else
                {
                    output.WriteLine($"\titem {i} {block.KeyAt(i)} itemoff {block.ItemOffset(i)} itemsize {block.ItemSize(i)}");
                }
            }
        }, breadthFirst: true);
    }

    private static bool TryOptions(Dictionary<string, string> options, out int pageSize, out AllocationPolicy policy, out string? problem)
    {
        pageSize = 4096;
        policy = AllocationPolicy.Pages;
        problem = null;
        if (options.TryGetValue("--page-size", out var size) && (!int.TryParse(size, CultureInfo.InvariantCulture, out pageSize) || pageSize is not (4096 or 16384 or 65536)))
            problem = $"--page-size {size}: use 4096, 16384 or 65536.";
        else if (options.TryGetValue("--policy", out var name) && (!Enum.TryParse(name, ignoreCase: false, out policy) || !Enum.IsDefined(policy)))
            problem = $"--policy {name}: use Pages, SingleFolio, FolioOrPages or FolioOrMapped.";
        return problem is null;
    }
}
