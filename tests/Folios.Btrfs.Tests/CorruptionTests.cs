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

    [Theory]
    [MemberData(nameof(Fixtures.PerChecksum), MemberType = typeof(Fixtures))]
    [InlineData("varied-4k", "crc32c")]
    public void A_flipped_byte_in_a_tree_block_is_a_checksum_mismatch_naming_the_type_and_the_block(string name, string checksum)
    {
        var patch = new ImagePatch(Fixtures.Copy(name));
        var (block, data, _) = patch.FsItem(key => key.Type == Key.DirIndex);
        ulong logical = patch.TreeBlocks().First(tree => tree.Physical == block).Logical;
        string stored = Convert.ToHexStringLower(patch.ReadAt(block, patch.Checksum.Size));
        patch.WriteAt(block + data, [(byte)(patch.ReadAt(block + data, 1)[0] ^ 0x40)]);
        AssertError(Fixtures.Run("ls", patch.Path), $"tree block {logical} (physical {block}): {checksum} checksum mismatch (stored 0x{stored}, computed 0x");
    }

    [Theory]
    [MemberData(nameof(Fixtures.PerChecksum), MemberType = typeof(Fixtures))]
    public void A_flipped_byte_in_the_superblock_is_a_checksum_mismatch_naming_the_type(string name, string checksum)
    {
        var patch = new ImagePatch(Fixtures.Copy(name));
        patch.WriteAt(Format.SuperblockOffset + Format.Super.Label, "x"u8);
        AssertError(Fixtures.Run("info", patch.Path), $"superblock: {checksum} checksum mismatch (stored 0x");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(0xFFFF)]
    public void An_unknown_checksum_type_is_named_with_the_four_btrfs_defines(int type)
    {
        var patch = new ImagePatch(Fixtures.Copy("sha256-16k"));
        patch.WriteAt(Format.SuperblockOffset + Format.Super.ChecksumType, [(byte)type, (byte)(type >> 8)]);
        AssertError(Fixtures.Run("info", patch.Path), $"superblock: checksum type {type} is unknown (btrfs defines 0 crc32c, 1 xxhash64, 2 sha256, 3 blake2b).");
    }

    /// <summary>Each image relabelled with each other type: the superblock fails that type's check, whatever its size.</summary>
    [Theory]
    [MemberData(nameof(Fixtures.PerChecksum), MemberType = typeof(Fixtures))]
    public void Another_known_checksum_type_than_the_image_was_made_with_is_a_superblock_mismatch(string name, string checksum)
    {
        foreach (var (type, other) in new[] { "crc32c", "xxhash64", "sha256", "blake2b" }.Index().Where(known => known.Item != checksum))
        {
            var patch = new ImagePatch(Fixtures.Copy(name));
            patch.WriteAt(Format.SuperblockOffset + Format.Super.ChecksumType, [(byte)type, 0]);
            AssertError(Fixtures.Run("info", patch.Path), $"superblock: {other} checksum mismatch (stored 0x");
        }
    }

    /// <summary>btrfs compares only the digest's bytes of the 32-byte field; what follows them is neither hashed nor checked.</summary>
    [Theory]
    [InlineData("one-leaf-16k")]
    [InlineData("xxhash-16k")]
    public void The_checksum_fields_bytes_past_the_digest_are_ignored(string name)
    {
        var patch = new ImagePatch(Fixtures.Copy(name));
        var checksum = patch.Checksum;
        int size = checksum.Size;
        var filler = Enumerable.Repeat((byte)0xA5, Format.ChecksumSize - size).ToArray();
        foreach (var block in patch.TreeBlocks())
            patch.WriteAt(block.Physical + size, filler);
        patch.WriteAt(Format.SuperblockOffset + size, filler);
        var (code, listing, error) = Fixtures.Run("ls", patch.Path);
        Assert.True(code == 0, error);
        Assert.Equal(Fixtures.Oracle(name, "listing"), listing);

        // The digest's own last byte is checked (the first block of the list is the FS tree's root, which ls reads).
        var root = patch.TreeBlocks()[0];
        patch.WriteAt(root.Physical + size - 1, [(byte)(patch.ReadAt(root.Physical + size - 1, 1)[0] ^ 1)]);
        AssertError(Fixtures.Run("ls", patch.Path), $"tree block {root.Logical} (physical {root.Physical}): {checksum.Name} checksum mismatch");
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
    [InlineData("xxhash-16k", 4)]
    [InlineData("sha256-16k", 5)]
    [InlineData("blake2-16k", 6)]
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
