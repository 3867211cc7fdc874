using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Folios.Btrfs;

/// <summary>The crc32c btrfs stores in the first four bytes of every checksummed block.</summary>
internal static class Crc32C
{
    public static uint Of(ReadOnlySequence<byte> bytes)
    {
        uint crc = uint.MaxValue;
        foreach (var segment in bytes)
            crc = Update(crc, segment.Span);
        return ~crc;
    }

    public static uint Of(ReadOnlySpan<byte> bytes) => ~Update(uint.MaxValue, bytes);

    private static uint Update(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (ulong word in MemoryMarshal.Cast<byte, ulong>(bytes))
            crc = BitOperations.Crc32C(crc, BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word));
        foreach (byte b in bytes[(bytes.Length & ~7)..])
            crc = BitOperations.Crc32C(crc, b);
        return crc;
    }
}
