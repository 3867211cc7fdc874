using System.Globalization;

namespace Folios.Btrfs;

/// <summary>A btrfs key, ordered as the trees order it: object id, then type, then offset.</summary>
internal readonly record struct Key(ulong ObjectId, byte Type, ulong Offset) : IComparable<Key>
{
    public const byte InodeItem = 1;
    public const byte InodeRef = 12;
    public const byte DirItem = 84;
    public const byte DirIndex = 96;
    public const byte ExtentData = 108;
    public const byte RootItem = 132;
    public const byte DevItem = 216;
    public const byte ChunkItem = 228;
    private const byte DevExtent = 204;
    private const byte QgroupStatus = 240;
    private const byte QgroupInfo = 242;
    private const byte QgroupLimit = 244;
    private const byte QgroupRelation = 246;
    private const byte PersistentItem = 249;
    private const byte UuidSubvolume = 251;
    private const byte UuidReceivedSubvolume = 252;
    private const ulong FreeSpaceObjectId = unchecked((ulong)-11);
    private const ulong TreeRelocObjectId = unchecked((ulong)-8);
    private const ulong FirstChunkTreeObjectId = 256;

    private static readonly Dictionary<byte, string> TypeNames = new()
    {
        [1] = "INODE_ITEM",
        [12] = "INODE_REF",
        [13] = "INODE_EXTREF",
        [24] = "XATTR_ITEM",
        [36] = "VERITY_DESC_ITEM",
        [37] = "VERITY_MERKLE_ITEM",
        [48] = "ORPHAN_ITEM",
        [60] = "DIR_LOG_ITEM",
        [72] = "DIR_LOG_INDEX",
        [84] = "DIR_ITEM",
        [96] = "DIR_INDEX",
        [108] = "EXTENT_DATA",
        [120] = "CSUM_ITEM",
        [128] = "EXTENT_CSUM",
        [132] = "ROOT_ITEM",
        [144] = "ROOT_BACKREF",
        [156] = "ROOT_REF",
        [168] = "EXTENT_ITEM",
        [169] = "METADATA_ITEM",
        [176] = "TREE_BLOCK_REF",
        [178] = "EXTENT_DATA_REF",
        [180] = "EXTENT_REF_V0",
        [182] = "SHARED_BLOCK_REF",
        [184] = "SHARED_DATA_REF",
        [192] = "BLOCK_GROUP_ITEM",
        [198] = "FREE_SPACE_INFO",
        [199] = "FREE_SPACE_EXTENT",
        [200] = "FREE_SPACE_BITMAP",
        [204] = "DEV_EXTENT",
        [216] = "DEV_ITEM",
        [228] = "CHUNK_ITEM",
        [240] = "QGROUP_STATUS",
        [242] = "QGROUP_INFO",
        [244] = "QGROUP_LIMIT",
        [246] = "QGROUP_RELATION",
        [248] = "TEMPORARY_ITEM",
        [249] = "PERSISTENT_ITEM",
        [250] = "DEV_REPLACE",
        [251] = "UUID_KEY_SUBVOL",
        [252] = "UUID_KEY_RECEIVED_SUBVOL",
        [253] = "STRING_ITEM",
    };

    private static readonly Dictionary<ulong, string> ObjectIdNames = new()
    {
        [2] = "EXTENT_TREE",
        [3] = "CHUNK_TREE",
        [4] = "DEV_TREE",
        [5] = "FS_TREE",
        [6] = "ROOT_TREE_DIR",
        [7] = "CSUM_TREE",
        [8] = "QUOTA_TREE",
        [9] = "UUID_TREE",
        [10] = "FREE_SPACE_TREE",
        [11] = "BLOCK_GROUP_TREE",
        [unchecked((ulong)-4)] = "BALANCE",
        [unchecked((ulong)-5)] = "ORPHAN",
        [unchecked((ulong)-6)] = "TREE_LOG",
        [unchecked((ulong)-7)] = "LOG_FIXUP",
        [unchecked((ulong)-8)] = "TREE_RELOC",
        [unchecked((ulong)-9)] = "DATA_RELOC_TREE",
        [unchecked((ulong)-10)] = "EXTENT_CSUM",
        [unchecked((ulong)-11)] = "FREE_SPACE",
        [unchecked((ulong)-12)] = "FREE_INO",
        [unchecked((ulong)-255)] = "MULTIPLE",
        [ulong.MaxValue] = "-1",
    };

    public int CompareTo(Key other)
    {
        int byObject = ObjectId.CompareTo(other.ObjectId);
        if (byObject != 0)
            return byObject;
        int byType = Type.CompareTo(other.Type);
        return byType != 0 ? byType : Offset.CompareTo(other.Offset);
    }

    /// <summary>As btrfs-progs prints a key: <c>key (OBJECTID TYPE OFFSET)</c> with its names for ids and types.</summary>
    public override string ToString() => $"key ({ObjectIdName(ObjectId, Type)} {TypeName()} {OffsetText()})";

    /// <summary>An object id the way btrfs-progs' print_objectid names it; some key types decide how.</summary>
    public static string ObjectIdName(ulong objectId, byte type) => type switch
    {
        PersistentItem => objectId == 0 ? "DEV_STATS" : Number(objectId),
        DevExtent => Number(objectId),
        QgroupRelation => Qgroup(objectId),
        UuidSubvolume or UuidReceivedSubvolume => $"0x{objectId:x16}",
        _ when objectId == Format.RootTreeObjectId => type == DevItem ? "DEV_ITEMS" : "ROOT_TREE",
        _ when objectId == FirstChunkTreeObjectId && type == ChunkItem => "FIRST_CHUNK_TREE",
        _ => ObjectIdNames.TryGetValue(objectId, out var name) ? name : Number(objectId),
    };

    private string TypeName() =>
        Type == 0 && ObjectId == FreeSpaceObjectId ? "UNTYPED"
        : TypeNames.TryGetValue(Type, out var name) ? name : $"UNKNOWN.{Type}";

    private string OffsetText() => Type switch
    {
        QgroupRelation or QgroupInfo or QgroupLimit => Qgroup(Offset),
        UuidSubvolume or UuidReceivedSubvolume => $"0x{Offset:x16}",
        RootItem => ObjectId == TreeRelocObjectId ? ObjectIdName(Offset, Type) : Number(Offset),
        _ => Offset == ulong.MaxValue ? "-1" : Number(Offset),
    };

    private static string Qgroup(ulong id) => $"{id >> 48}/{id & ((1UL << 48) - 1)}";

    private static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
