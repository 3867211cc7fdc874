using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace Folios.Btrfs;

/// <summary>
/// The checksum algorithm a filesystem uses for its metadata, chosen by the superblock's csum_type: the one place a
/// type becomes an algorithm. A checksummed block (the superblock, every tree block) hashes everything after its
/// 32-byte checksum field and keeps the digest in the first <see cref="Size"/> bytes of that field; btrfs compares
/// only those bytes.
/// </summary>
internal sealed class Checksum
{
    // Indexed by csum_type, like btrfs's own table (btrfs_csums: 0 crc32c, 1 xxhash64, 2 sha256, 3 blake2b).
    private static readonly Checksum[] ByType =
    [
        new(0, "crc32c", 4, (bytes, digest) => BinaryPrimitives.WriteUInt32LittleEndian(digest, Crc32C.Of(bytes))),
        new(1, "xxhash64", 8, XxHash64Of),
        new(2, "sha256", 32, Sha256Of),
        new(3, "blake2b", 32, Blake2b.Hash),
    ];

    private readonly Digest _digest;

    private Checksum(ushort type, string name, int size, Digest digest)
    {
        Type = type;
        Name = name;
        Size = size;
        _digest = digest;
    }

    private delegate void Digest(ReadOnlySequence<byte> bytes, Span<byte> digest);

    public ushort Type { get; }

    /// <summary>The kernel's name for the algorithm.</summary>
    public string Name { get; }

    /// <summary>How many bytes of the 32-byte checksum field the digest fills.</summary>
    public int Size { get; }

    /// <exception cref="CorruptImageException"><paramref name="type"/> is none of btrfs's four.</exception>
    public static Checksum ForType(ushort type) => type < ByType.Length
        ? ByType[type]
        : throw new CorruptImageException($"superblock: checksum type {type} is unknown (btrfs defines {string.Join(", ", ByType.Select(known => $"{known.Type} {known.Name}"))}).");

    /// <summary>Writes the checksum of <paramref name="bytes"/> to the first <see cref="Size"/> bytes of <paramref name="digest"/>.</summary>
    public void Compute(ReadOnlySequence<byte> bytes, Span<byte> digest) => _digest(bytes, digest[..Size]);

    /// <summary>Checks a block's stored checksum against the one of its contents.</summary>
    /// <exception cref="CorruptImageException">They differ; the message names <paramref name="where"/>, the algorithm and both values.</exception>
    public void Verify(ExtentBuffer block, string where)
    {
        Span<byte> computed = stackalloc byte[Size];
        Compute(block.AsSequence(Format.ChecksumSize, block.Length - Format.ChecksumSize), computed);
        if (block.Compare(0, computed) == 0)
            return;
        Span<byte> stored = stackalloc byte[Size];
        block.Read(0, stored);
        // Hex in on-disk byte order, as btrfs-progs prints checksums.
        throw new CorruptImageException($"{where}: {Name} checksum mismatch (stored 0x{Convert.ToHexString(stored).ToLowerInvariant()}, computed 0x{Convert.ToHexString(computed).ToLowerInvariant()}).");
    }

    public override string ToString() => $"{Name} (type {Type}, {Size} bytes)";

    private static void XxHash64Of(ReadOnlySequence<byte> bytes, Span<byte> digest)
    {
        var hash = new XxHash64(); // seed 0, as btrfs
        foreach (var segment in bytes)
            hash.Append(segment.Span);
        // btrfs stores the 64-bit value little-endian; GetCurrentHash would write xxHash's canonical big-endian form.
        BinaryPrimitives.WriteUInt64LittleEndian(digest, hash.GetCurrentHashAsUInt64());
    }

    private static void Sha256Of(ReadOnlySequence<byte> bytes, Span<byte> digest)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var segment in bytes)
            hash.AppendData(segment.Span);
        hash.GetHashAndReset(digest);
    }
}
