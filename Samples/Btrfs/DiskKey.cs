using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Folios.Btrfs;

/// <summary>
/// A key as it lies on disk (17 packed little-endian bytes), read with one helper call as btrfs reads a member with
/// read_eb_member: one range check and, when it straddles pages, one split, instead of one per field.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal readonly struct DiskKey
{
    private readonly ulong _objectId;
    private readonly byte _type;
    private readonly ulong _offset;

    public Key ToKey() => BitConverter.IsLittleEndian
        ? new Key(_objectId, _type, _offset)
        : new Key(BinaryPrimitives.ReverseEndianness(_objectId), _type, BinaryPrimitives.ReverseEndianness(_offset));
}
