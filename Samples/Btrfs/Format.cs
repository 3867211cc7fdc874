namespace Folios.Btrfs;

/// <summary>Offsets and constants of the btrfs on-disk format (little-endian throughout), as the sample needs them.</summary>
internal static class Format
{
    public const long SuperblockOffset = 0x10000;
    public const int SuperblockSize = 4096;
    public const ulong Magic = 0x4D5F53665248425F; // "_BHRfS_M"
    public const int ChecksumSize = 32;
    public const int FsidSize = 16;

    public static class Super
    {
        public const int Fsid = 0x20;
        public const int Bytenr = 0x30;
        public const int Magic = 0x40;
        public const int Generation = 0x48;
        public const int Root = 0x50;
        public const int ChunkRoot = 0x58;
        public const int TotalBytes = 0x70;
        public const int BytesUsed = 0x78;
        public const int RootDirObjectId = 0x80;
        public const int NumDevices = 0x88;
        public const int SectorSize = 0x90;
        public const int NodeSize = 0x94;
        public const int SysChunkArraySize = 0xA0;
        public const int IncompatFlags = 0xBC;
        public const int ChecksumType = 0xC4;
        public const int RootLevel = 0xC6;
        public const int ChunkRootLevel = 0xC7;
        public const int Label = 0x12B;
        public const int LabelSize = 256;
        public const int MetadataUuid = 0x23B;
        public const int SysChunkArray = 0x32B;
        public const int SysChunkArrayMax = 2048;
    }

    /// <summary>The header of every tree block.</summary>
    public static class Header
    {
        public const int Fsid = 0x20;
        public const int Bytenr = 0x30;
        public const int Generation = 0x50;
        public const int Owner = 0x58;
        public const int ItemCount = 0x60;
        public const int Level = 0x64;
        public const int Size = 0x65;
    }

    public const int KeySize = 17;
    public const int ItemSize = KeySize + 8;      // key, data offset (u32), data size (u32)
    public const int KeyPointerSize = KeySize + 16; // key, block pointer, generation
    public const int MaxLevel = 7;

    public const ulong IncompatMetadataUuid = 1 << 10;

    /// <summary>A chunk item: length, owner, stripe_len, type, io_align, io_width, sector_size, stripes, sub_stripes, then stripes.</summary>
    public static class Chunk
    {
        public const int Length = 0;
        public const int Type = 24;
        public const int StripeCount = 44;
        public const int Size = 48;
        public const int StripeSize = 32; // devid, offset, dev uuid
        public const int StripeOffset = 8;
    }

    public static class RootItem
    {
        public const int Bytenr = 176;
        public const int Level = 238;
        public const int MinSize = 239;
    }

    public static class Inode
    {
        public const int Size = 16;
        public const int Mode = 52;
        public const int ItemSize = 160;
    }

    public static class DirItem
    {
        public const int Location = 0;
        public const int NameLength = 27;
        public const int Type = 29;
        public const int Size = 30;
    }

    public static class FileExtent
    {
        public const int RamBytes = 8;
        public const int Compression = 16;
        public const int Encryption = 17;
        public const int Type = 20;
        public const int InlineData = 21;
        public const int DiskBytenr = 21;
        public const int DiskBytes = 29;
        public const int Offset = 37;
        public const int Bytes = 45;
        public const int Size = 53;
    }

    public const byte FileExtentInline = 0;
    public const byte FileExtentRegular = 1;
    public const byte FileExtentPrealloc = 2;

    public const byte DirTypeFile = 1;
    public const byte DirTypeDirectory = 2;
    public const byte DirTypeSymlink = 7;

    public const ulong RootTreeObjectId = 1;
    public const ulong ExtentTreeObjectId = 2;
    public const ulong ChunkTreeObjectId = 3;
    public const ulong FsTreeObjectId = 5;
    public const ulong CsumTreeObjectId = 7;
}
