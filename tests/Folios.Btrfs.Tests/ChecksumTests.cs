using System.Buffers;
using Sodium = NSec.Cryptography;

namespace Folios.Btrfs.Tests;

/// <summary>
/// The four checksum algorithms against published vectors (btrfs-progs' crypto/hash-vectest.c, RFC 7693 Appendix A)
/// and the sample's own BLAKE2b against libsodium's; the images the fixtures hold test them against btrfs-progs.
/// </summary>
public class ChecksumTests
{
    /// <summary>csum_type, input (hex), digest (hex, in on-disk order), from btrfs-progs' hash-vectest.c.</summary>
    public static TheoryData<ushort, string, string> BtrfsProgsVectors() => new()
    {
        { 0, "", "00000000" },
        { 0, "61626364656667", "41f427e6" },
        { 1, "", "99e9d85137db46ef" },
        { 1, "40", "205c91aa88eb59d0" },
        { 1, "408bb841e442152d88c79a091a9b", "a8e82ba992a1374a" },
        { 2, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { 2, "616263", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { 3, "", "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8" },
        {
            3,
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f",
            "10d8e6d534b00939843fe9dcc4dae48cdf008f6b8b2b82b156f5404d874887f5"
        },
    };

    [Theory]
    [MemberData(nameof(BtrfsProgsVectors))]
    public void Each_type_hashes_btrfs_progs_test_vectors(ushort type, string input, string digest)
    {
        var checksum = Checksum.ForType(type);
        Assert.Equal(digest.Length / 2, checksum.Size);
        Assert.Equal(digest, Convert.ToHexStringLower(Compute(checksum, new ReadOnlySequence<byte>(Convert.FromHexString(input)))));
    }

    [Fact]
    public void Blake2b_512_of_abc_is_rfc_7693s_example()
    {
        var digest = new byte[64];
        Blake2b.Hash(new ReadOnlySequence<byte>("abc"u8.ToArray()), digest);
        Assert.Equal(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
            Convert.ToHexStringLower(digest));
    }

    /// <summary>
    /// Random inputs around the 128-byte block boundaries and up to a 64K node, every digest size libsodium offers
    /// (32 to 64), fed whole and in random pieces.
    /// </summary>
    [Fact]
    public void Blake2b_matches_libsodium_for_any_length_digest_size_and_split()
    {
        var random = new Random(7693);
        int[] lengths = [.. Enumerable.Range(0, 300), 383, 384, 385, 1023, 1024, 1025, 4064, 16352, 65504];
        foreach (int length in lengths)
        {
            var data = new byte[length];
            random.NextBytes(data);
            int size = length % 3 == 0 ? 32 : random.Next(32, 65);
            var expected = new Sodium.Blake2b(size).Hash(data);

            var whole = new byte[size];
            Blake2b.Hash(new ReadOnlySequence<byte>(data), whole);
            Assert.True(expected.AsSpan().SequenceEqual(whole), $"{length} bytes, {size}-byte digest, in one piece");

            var pieces = new byte[size];
            Blake2b.Hash(Split(data, random), pieces);
            Assert.True(expected.AsSpan().SequenceEqual(pieces), $"{length} bytes, {size}-byte digest, in pieces");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Each_type_gives_one_digest_however_the_block_is_split_into_pages(ushort type)
    {
        var checksum = Checksum.ForType(type);
        var random = new Random(type);
        foreach (int length in new[] { 0, 1, 127, 128, 129, 4064, 16352 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            var whole = Compute(checksum, new ReadOnlySequence<byte>(data));
            Assert.Equal(whole, Compute(checksum, Split(data, random)));
            // A changed byte changes the digest (a checksum that ignored part of its input would pass the line above).
            if (length > 0)
            {
                data[random.Next(length)] ^= 0x10;
                Assert.NotEqual(whole, Compute(checksum, Split(data, random)));
            }
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(ushort.MaxValue)]
    public void An_unknown_type_is_a_corrupt_image_naming_the_known_ones(ushort type)
    {
        var error = Assert.Throws<CorruptImageException>(() => Checksum.ForType(type));
        Assert.Equal($"superblock: checksum type {type} is unknown (btrfs defines 0 crc32c, 1 xxhash64, 2 sha256, 3 blake2b).", error.Message);
    }

    [Fact]
    public void Blake2b_refuses_digest_sizes_outside_1_to_64_and_use_after_its_digest()
    {
        Assert.Equal("digestSize", Assert.Throws<ArgumentOutOfRangeException>(() => new Blake2b(0)).ParamName);
        Assert.Equal("digestSize", Assert.Throws<ArgumentOutOfRangeException>(() => new Blake2b(65)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentOutOfRangeException>(() => Blake2b.Hash(ReadOnlySequence<byte>.Empty, new byte[65])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentOutOfRangeException>(() => Blake2b.Hash(ReadOnlySequence<byte>.Empty, [])).ParamName);
        var hash = new Blake2b(32);
        hash.Append("abc"u8);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => hash.Finish(new byte[31])).ParamName);
        var digest = new byte[32];
        hash.Finish(digest);
        Assert.Throws<InvalidOperationException>(() => hash.Append("d"u8));
        Assert.Throws<InvalidOperationException>(() => hash.Finish(digest));
        Assert.Equal(new Sodium.Blake2b(32).Hash("abc"u8), digest);
    }

    private static byte[] Compute(Checksum checksum, ReadOnlySequence<byte> bytes)
    {
        var digest = new byte[checksum.Size];
        checksum.Compute(bytes, digest);
        return digest;
    }

    /// <summary><paramref name="data"/> as a sequence of up to 16 pieces cut at random points (empty pieces included).</summary>
    private static ReadOnlySequence<byte> Split(byte[] data, Random random)
    {
        var cuts = Enumerable.Range(0, random.Next(1, 16)).Select(_ => random.Next(data.Length + 1)).Append(0).Append(data.Length).Order().ToArray();
        Piece? first = null, last = null;
        for (int i = 1; i < cuts.Length; i++)
        {
            var piece = new Piece(data.AsMemory(cuts[i - 1], cuts[i] - cuts[i - 1]), last);
            first ??= piece;
            last = piece;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Piece : ReadOnlySequenceSegment<byte>
    {
        public Piece(ReadOnlyMemory<byte> memory, Piece? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
