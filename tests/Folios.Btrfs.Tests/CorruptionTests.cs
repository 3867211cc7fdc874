namespace Folios.Btrfs.Tests;

/// <summary>Damaged images end in a clear error that names the block and what is wrong (exit code 1), never a crash or a hang.</summary>
public class CorruptionTests
{
    [Fact]
    public void A_truncated_image_names_the_superblock_or_the_block_it_ends_before()
    {
        string tiny = Fixtures.Copy("one-leaf-16k");
        using (var file = File.OpenWrite(tiny))
            file.SetLength(40000);
        AssertError(Fixtures.Run("ls", tiny), "superblock at 65536: the image ends before it");

        var patch = new ImagePatch(Fixtures.Copy("one-leaf-16k"));
        long fsLeaf = patch.FsItem(key => key.Type == Key.InodeItem).Block;
        using (var file = File.OpenWrite(patch.Path))
            file.SetLength(fsLeaf + 100);
        // Some tree block lies past the new end (which one is read first depends on the layout).
        AssertError(Fixtures.Run("ls", patch.Path), "): the image ends before the block (truncated?)");
    }

    [Fact]
    public void Bad_magic_says_it_is_not_btrfs()
    {
        var patch = new ImagePatch(Fixtures.Copy("one-leaf-16k"));
        patch.WriteAt(Format.SuperblockOffset + Format.Super.Magic, "NOTBTRFS"u8);
        AssertError(Fixtures.Run("info", patch.Path), "bad magic, this is not a btrfs image");
    }

    [Fact]
    public void A_flipped_byte_in_a_node_is_a_checksum_mismatch_of_that_block()
    {
        var patch = new ImagePatch(Fixtures.Copy("varied-4k"));
        var (block, data, _) = patch.FsItem(key => key.Type == Key.DirIndex);
        patch.WriteAt(block + data, [(byte)(patch.ReadAt(block + data, 1)[0] ^ 0x40)]);
        AssertError(Fixtures.Run("ls", patch.Path), $"(physical {block}): checksum mismatch (stored 0x");
    }

    [Fact]
    public void An_item_outside_its_leaf_is_named_even_with_a_valid_checksum()
    {
        var patch = new ImagePatch(Fixtures.Copy("one-leaf-16k"));
        var (block, _, _) = patch.FsItem(key => key.Type == Key.InodeItem);
        // Item 0's data offset field: header, then the key.
        patch.WriteAt(block + Format.Header.Size + Format.KeySize, [0x60, 0xEA, 0, 0]);
        patch.FixChecksum(block, patch.NodeSize);
        AssertError(Fixtures.Run("ls", patch.Path), "item 0 (offset 60000, size 160) lies outside the leaf's data area");
    }

    [Fact]
    public void A_tree_that_points_back_at_itself_is_an_error_not_a_loop()
    {
        var patch = new ImagePatch(Fixtures.Copy("multi-level-4k"));
        var root = patch.TreeBlocks().First(block => block.Level == 2);
        // The root's first child pointer now names the root.
        patch.WriteUInt64(root.Physical + Format.Header.Size + Format.KeySize, root.Logical);
        patch.FixChecksum(root.Physical, patch.NodeSize);
        var result = RunWithin(TimeSpan.FromSeconds(30), "ls", patch.Path);
        AssertError(result, $"tree block {root.Logical}");
    }

    [Fact]
    public void An_address_no_chunk_maps_is_named()
    {
        var patch = new ImagePatch(Fixtures.Copy("one-leaf-16k"));
        patch.WriteUInt64(Format.SuperblockOffset + Format.Super.Root, 1UL << 50);
        patch.FixChecksum(Format.SuperblockOffset, Format.SuperblockSize);
        AssertError(Fixtures.Run("ls", patch.Path), $"tree block at logical {1UL << 50}: no chunk maps this address");
    }

    [Fact]
    public void Lzo_extents_are_a_clear_not_supported_error()
    {
        var patch = new ImagePatch(Fixtures.Copy("one-leaf-16k"));
        ulong inode = patch.Inode("large.bin");
        var (block, data, _) = patch.FsItem(key => key.ObjectId == inode && key.Type == Key.ExtentData);
        patch.WriteAt(block + data + Format.FileExtent.Compression, [2]);
        patch.FixChecksum(block, patch.NodeSize);
        AssertError(Fixtures.Run("cat", patch.Path, "large.bin"), "compressed with lzo: not supported");
    }

    [Fact]
    public void A_directory_named_inside_itself_is_a_loop_error_not_an_endless_walk()
    {
        var patch = new ImagePatch(Fixtures.Copy("one-leaf-16k"));
        ulong nested = patch.Inode("nested"), a = patch.Inode("nested/a");
        // nested/a's entry for "b" now names "nested" again.
        var (block, data, _) = patch.FsItem(key => key.ObjectId == a && key.Type == Key.DirIndex);
        patch.WriteUInt64(block + data + Format.DirItem.Location, nested);
        patch.FixChecksum(block, patch.NodeSize);
        AssertError(RunWithin(TimeSpan.FromSeconds(30), "ls", patch.Path), $"directory {nested} is named twice");
    }

    [Fact]
    public void A_huge_file_size_extracts_as_a_sparse_file_instead_of_writing_zeros_for_hours()
    {
        var patch = new ImagePatch(Fixtures.Copy("one-leaf-16k"));
        ulong inode = patch.Inode("inline.txt");
        var (block, data, _) = patch.FsItem(key => key.ObjectId == inode && key.Type == Key.InodeItem);
        patch.WriteUInt64(block + data + Format.Inode.Size, 1UL << 36);
        patch.FixChecksum(block, patch.NodeSize);
        string output = Directory.CreateTempSubdirectory("folios-sparse-").FullName;
        try
        {
            var (code, _, error) = RunWithin(TimeSpan.FromSeconds(60), "extract", patch.Path, output);
            Assert.True(code == 0, error);
            Assert.Equal(1L << 36, new FileInfo(Path.Combine(output, "inline.txt")).Length);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>Random bytes flipped in random tree blocks, with and without fixed checksums: valid output or a clear error.</summary>
    [Theory]
    [InlineData("varied-4k", 1)]
    [InlineData("multi-level-4k", 2)]
    [InlineData("varied-64k", 3)]
    public void Random_damage_to_metadata_ends_in_valid_output_or_a_clear_error(string name, int seed)
    {
        var patch = new ImagePatch(Fixtures.Copy(name));
        var blocks = patch.TreeBlocks();
        int nodeSize = patch.NodeSize, errors = 0, clean = 0;
        var random = new Random(seed);
        for (int round = 0; round < 60; round++)
        {
            var block = blocks[random.Next(blocks.Count)];
            var original = patch.ReadAt(block.Physical, nodeSize);
            var damaged = (byte[])original.Clone();
            for (int flips = random.Next(1, 9); flips > 0; flips--)
                damaged[random.Next(Format.ChecksumSize, nodeSize)] ^= (byte)random.Next(1, 256);
            patch.WriteAt(block.Physical, damaged);
            if (round % 2 == 0)
                patch.FixChecksum(block.Physical, nodeSize);
            foreach (var command in new[] { new[] { "ls", patch.Path }, ["dump-tree", patch.Path, "--tree", "fs"], ["extract", patch.Path, Path.Combine(Path.GetTempPath(), $"folios-damaged-{Guid.NewGuid():N}")] })
            {
                var (code, _, error) = RunWithin(TimeSpan.FromSeconds(30), command);
                Assert.True(code is 0 or 1, $"exit code {code}: {error}");
                if (code == 1)
                {
                    Assert.StartsWith("error: ", error);
                    errors++;
                }
                else
                {
                    clean++;
                }
            }
            patch.WriteAt(block.Physical, original);
        }
        Assert.True(errors > 0, "No damage was detected at all.");
        Assert.True(errors + clean == 180);
    }

    private static (int Code, string Output, string Error) RunWithin(TimeSpan limit, params string[] args)
    {
        var run = Task.Run(() => Fixtures.Run(args));
        Assert.True(run.Wait(limit), $"'{string.Join(' ', args)}' did not finish within {limit}.");
        return run.Result;
    }

    private static void AssertError((int Code, string Output, string Error) result, string expected)
    {
        Assert.Equal(1, result.Code);
        Assert.StartsWith("error: ", result.Error);
        Assert.Contains(expected, result.Error);
    }
}
