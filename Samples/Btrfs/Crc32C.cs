using System.Buffers;
using System.Numerics;

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

    private static uint Update(uint crc, ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BitConverter.ToUInt64(bytes));
            bytes = bytes[sizeof(ulong)..];
        }
        foreach (byte b in bytes)
            crc = BitOperations.Crc32C(crc, b);
        return crc;
    }
}
