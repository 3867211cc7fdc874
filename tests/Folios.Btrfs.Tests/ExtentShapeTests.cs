using System.IO.Compression;
using System.Security.Cryptography;

namespace Folios.Btrfs.Tests;

/// <summary>
/// Extent shapes btrfs-progs 6.2 cannot make without mounting (holes, preallocated and zlib-compressed extents),
/// made by patching a fixture's file extent items and fixing the leaf checksum; the expected bytes come from the
/// fixture's recorded SHA-256 or the patch itself.
/// </summary>
public class ExtentShapeTests
{
    private const string Name = "one-leaf-16k";

    [Fact]
    public void A_regular_extent_without_a_disk_address_is_a_hole_of_zeros()
    {
        var patch = new ImagePatch(Fixtures.Copy(Name));
        var (leaf, extent) = ExtentOf(patch, "large.bin");
        patch.WriteUInt64(extent + Format.FileExtent.DiskBytenr, 0);
        patch.FixChecksum(leaf, patch.NodeSize);
        Assert.Equal(new byte[200000], Fixtures.RunBytes("cat", patch.Path, "large.bin"));
    }

    [Fact]
    public void A_preallocated_extent_reads_as_zeros()
    {
        var patch = new ImagePatch(Fixtures.Copy(Name));
        var (leaf, extent) = ExtentOf(patch, "large.bin");
        patch.WriteAt(extent + Format.FileExtent.Type, [Format.FileExtentPrealloc]);
        patch.FixChecksum(leaf, patch.NodeSize);
        Assert.Equal(new byte[200000], Fixtures.RunBytes("cat", patch.Path, "large.bin"));
    }

    [Fact]
    public void A_file_larger_than_its_extents_ends_in_an_implicit_hole()
    {
        var patch = new ImagePatch(Fixtures.Copy(Name));
        ulong inode = patch.Inode("inline.txt");
        var (block, data, _) = patch.FsItem(key => key.ObjectId == inode && key.Type == Key.InodeItem);
        patch.WriteUInt64(block + data + Format.Inode.Size, 10000);
        patch.FixChecksum(block, patch.NodeSize);
        var original = Fixtures.RunBytes("cat", Fixtures.Image(Name), "inline.txt");
        var bytes = Fixtures.RunBytes("cat", patch.Path, "inline.txt");
        Assert.Equal([.. original, .. new byte[10000 - original.Length]], bytes);
        Assert.Contains("f 10000 inline.txt\n", Fixtures.Run("ls", patch.Path).Output);
    }

    [Fact]
    public void A_zlib_compressed_extent_decompresses_to_the_original_file()
    {
        var patch = new ImagePatch(Fixtures.Copy(Name));
        const string path = "nested/a/b/c/d/deep.txt";
        var original = Fixtures.RunBytes("cat", patch.Path, path);
        var (leaf, extent) = ExtentOf(patch, path);
        var item = patch.ReadAt(extent, Format.FileExtent.Size);
        ulong diskBytenr = BitConverter.ToUInt64(item, Format.FileExtent.DiskBytenr);
        ulong length = BitConverter.ToUInt64(item, Format.FileExtent.Bytes);
        // One zlib stream of the whole (sector-padded) extent, written where the plain data was.
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write([.. original, .. new byte[length - (ulong)original.Length]]);
        using (var image = BtrfsImage.Open(patch.Path))
            patch.WriteAt(image.PhysicalOfData(diskBytenr, compressed.Length), compressed.ToArray());
        patch.WriteAt(extent + Format.FileExtent.Compression, [1]);
        patch.WriteUInt64(extent + Format.FileExtent.DiskBytes, 4096);
        patch.FixChecksum(leaf, patch.NodeSize);

        var bytes = Fixtures.RunBytes("cat", patch.Path, path);
        Assert.Equal(SHA256.HashData(original), SHA256.HashData(bytes));
        Assert.True(compressed.Length < 4096);
    }

    [Fact]
    public void Damaged_zlib_data_is_named_as_such()
    {
        var patch = new ImagePatch(Fixtures.Copy(Name));
        var (leaf, extent) = ExtentOf(patch, "large.bin"); // random bytes: not a zlib stream
        patch.WriteAt(extent + Format.FileExtent.Compression, [1]);
        patch.WriteUInt64(extent + Format.FileExtent.DiskBytes, 4096);
        patch.WriteUInt64(extent + Format.FileExtent.RamBytes, 4096);
        patch.FixChecksum(leaf, patch.NodeSize);
        var (code, _, error) = Fixtures.Run("cat", patch.Path, "large.bin");
        Assert.Equal(1, code);
        Assert.Contains("the zlib data is damaged", error);
    }

    /// <summary>Where the file's first extent item and its leaf lie in the image file.</summary>
    private static (long Block, long Item) ExtentOf(ImagePatch patch, string path)
    {
        ulong inode = patch.Inode(path);
        var (block, data, _) = patch.FsItem(key => key.ObjectId == inode && key.Type == Key.ExtentData);
        return (block, block + data);
    }
}
