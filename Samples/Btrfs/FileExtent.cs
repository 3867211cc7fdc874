using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Folios.Btrfs;

/// <summary>A file extent item, decoded from a copy of its bytes: inline data, a regular extent (or hole), or a preallocated one.</summary>
internal sealed record FileExtent(byte Type, byte Compression, byte[] Inline, ulong DiskBytenr, ulong DiskBytes, ulong Offset, ulong Length, string Where)
{
    /// <summary>btrfs compresses at most 128 KiB per extent: a larger claim is damage (or a decompression bomb).</summary>
    private const ulong MaxCompressedExtent = 128 * 1024;
    private const int CopyChunk = 1 << 20;

    public static FileExtent Decode(byte[] item, string where)
    {
        byte type = item[Format.FileExtent.Type];
        byte compression = item[Format.FileExtent.Compression];
        ulong ramBytes = BinaryPrimitives.ReadUInt64LittleEndian(item.AsSpan(Format.FileExtent.RamBytes));
        if (item[Format.FileExtent.Encryption] != 0)
            throw new CorruptImageException($"{where}: encrypted extents are not supported.");
        if (compression is not (0 or 1))
        {
            string name = compression switch { 2 => "lzo", 3 => "zstd", _ => $"unknown method {compression}" };
            throw new CorruptImageException($"{where}: compressed with {name}: not supported (zlib and uncompressed extents are).");
        }
        if (compression != 0 && ramBytes > MaxCompressedExtent)
            throw new CorruptImageException($"{where}: a compressed extent claims {ramBytes} bytes, more than btrfs' 128 KiB.");
        if (type == Format.FileExtentInline)
            return new FileExtent(type, compression, item[Format.FileExtent.InlineData..], 0, 0, 0, ramBytes, where);
        if (type is not (Format.FileExtentRegular or Format.FileExtentPrealloc))
            throw new CorruptImageException($"{where}: unknown extent type {type}.");
        if (item.Length < Format.FileExtent.Size)
            throw new CorruptImageException($"{where}: a {item.Length}-byte item is too short for a regular extent.");
        ulong U64(int offset) => BinaryPrimitives.ReadUInt64LittleEndian(item.AsSpan(offset));
        return new FileExtent(type, compression, [], U64(Format.FileExtent.DiskBytenr), U64(Format.FileExtent.DiskBytes),
            U64(Format.FileExtent.Offset), U64(Format.FileExtent.Bytes), where);
    }

    /// <summary>Writes the first <paramref name="length"/> bytes of the extent's file data.</summary>
    public void Write(BtrfsImage image, Stream output, ulong length)
    {
        if (Type == Format.FileExtentPrealloc || (Type == Format.FileExtentRegular && DiskBytenr == 0))
        {
            FileSystem.WriteZeros(output, length);
            return;
        }
        if (Type == Format.FileExtentInline)
        {
            var data = Compression == 0 ? Inline : Inflate(Inline, Length);
            if ((ulong)data.Length < length)
                throw new CorruptImageException($"{Where}: inline data holds {data.Length} bytes, the file needs {length} here.");
            output.Write(data, 0, (int)length);
            return;
        }
        if (Compression != 0)
        {
            if (DiskBytes > MaxCompressedExtent || Offset > MaxCompressedExtent)
                throw new CorruptImageException($"{Where}: a compressed extent of {DiskBytes} bytes on disk (data offset {Offset}) is larger than btrfs writes.");
            var compressed = new byte[DiskBytes];
            image.ReadData(DiskBytenr, compressed);
            var plain = Inflate(compressed, MaxCompressedExtent);
            if ((ulong)plain.Length < Offset + length)
                throw new CorruptImageException($"{Where}: decompressed to {plain.Length} bytes, the file needs {Offset + length}.");
            output.Write(plain, (int)Offset, (int)length);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(CopyChunk);
        try
        {
            for (ulong done = 0; done < length;)
            {
                int chunk = (int)Math.Min(length - done, CopyChunk);
                image.ReadData(DiskBytenr + Offset + done, buffer.AsSpan(0, chunk));
                output.Write(buffer, 0, chunk);
                done += (ulong)chunk;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One zlib stream, as btrfs writes it per extent; never more than <paramref name="limit"/> bytes out.</summary>
    private byte[] Inflate(byte[] compressed, ulong limit)
    {
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
            var plain = new byte[limit];
            int total = 0, read;
            while (total < plain.Length && (read = zlib.Read(plain, total, plain.Length - total)) > 0)
                total += read;
            return plain[..total];
        }
        catch (InvalidDataException error)
        {
            throw new CorruptImageException($"{Where}: the zlib data is damaged ({error.Message}).");
        }
    }
}
