namespace Folios.Benchmarks;

/// <summary>
/// Generated code for measuring the rules: "heavy" files use Folios in every method (allocations, page spans,
/// mappings with try/finally and early returns, flags, page geometry); "plain" files have the same shape with
/// ordinary .NET types, for a project that references Folios but does not use it where the code is.
/// </summary>
public static class AnalyzerCorpus
{
    /// <summary>Writes a project of <paramref name="files"/> files into <paramref name="directory"/>.</summary>
    public static void Write(string directory, int files, bool heavy)
    {
        Directory.CreateDirectory(directory);
        for (int i = 0; i < files; i++)
            File.WriteAllText(Path.Combine(directory, $"File{i}.cs"), heavy ? Heavy(i) : Plain(i));
    }

    public static string Heavy(int index) => $$"""
        using System;
        using System.Buffers.Binary;
        using System.Collections.Generic;
        using Folios;

        public class Node{{index}}
        {
            private const int Order = 2;
            private readonly List<PageMapping> _kept = new();

            public uint Key(ExtentBuffer buffer, int offset)
            {
                var page = buffer.GetFolio(0).Span;
                uint header = BinaryPrimitives.ReadUInt32LittleEndian(page.Slice(16, 4));
                uint key = BinaryPrimitives.ReadUInt32LittleEndian(buffer.GetFolio(buffer.FolioIndex(offset)).Span.Slice(buffer.OffsetInFolio(offset), 4));
                for (int i = 0; i < 16; i++)
                    header += page[i * 8];
                return header ^ key ^ buffer.ReadUInt32LittleEndian(offset + 4);
            }

            public Folio Grow(PageAllocator allocator, int n)
            {
                var flags = AllocFlags.NoFail | AllocFlags.Zero;
                var small = allocator.Allocate(1, flags);
                allocator.Free(small);
                allocator.TryAllocate(0, AllocFlags.NoFail | AllocFlags.NoWait, out var ignored);
                if (n > 3)
                    return allocator.Allocate(Order, flags);
                return allocator.Allocate(allocator.OrderForSize(4096 * n), AllocFlags.None);
            }

            public int Scan(ExtentBuffer buffer, int count)
            {
                var view = buffer.Map();
                try
                {
                    int sum = 0;
                    for (int i = 0; i < count; i++)
                    {
                        if (view.Span[i] == 0)
                            return sum;
                        sum += view.Span[i];
                    }
                    return sum;
                }
                finally
                {
                    view.Unmap();
                }
            }

            public int Leaky(ExtentBuffer buffer, int count)
            {
                var view = buffer.Map();
                if (count == 0)
                    return 0;
                using var other = buffer.Map();
                int total = view.Span.Length + other.Span.Length;
                view.Unmap();
                return total;
            }

            public void Keep(ExtentBuffer buffer) => _kept.Add(buffer.Map());

            public int Pages(ExtentBuffer buffer)
            {
                int touched = 0;
                for (int offset = 0; offset < buffer.Length; offset += 4096)
                {
                    buffer.WriteByte(offset, 1);
                    touched++;
                }
                return touched + buffer.ReadByte(buffer.Length - 1);
            }

            public ulong Header(ExtentBuffer buffer, int slot)
            {
                int offset = 101 + slot * 25;
                ulong objectId = buffer.ReadUInt64LittleEndian(offset);
                byte type = buffer.ReadByte(offset + 8);
                ulong keyOffset = buffer.ReadUInt64LittleEndian(offset + 9);
                uint itemOffset = buffer.ReadUInt32LittleEndian(offset + 17);
                uint itemSize = buffer.ReadUInt32LittleEndian(offset + 21);
                return objectId ^ type ^ keyOffset ^ itemOffset ^ itemSize;
            }

            public void Fill(ExtentBuffer buffer, ReadOnlySpan<byte> source, int at)
            {
                if (at < 0 || at + source.Length > buffer.Length)
                    throw new ArgumentOutOfRangeException(nameof(at));
                buffer.Write(at, source);
                buffer.Clear(at + source.Length, Math.Min(64, buffer.Length - at - source.Length));
            }

            public ContiguousBuffer Contiguous(PageAllocator allocator, int bytes)
            {
                var buffer = allocator.AllocateContiguous(bytes, AllocFlags.NoFail);
                buffer.Span.Clear();
                return buffer;
            }

            public int Flags(PageAllocator allocator, bool quick)
            {
                var flags = AllocFlags.NoWarn;
                if (quick)
                    flags |= AllocFlags.NoRetry;
                if (!allocator.TryAllocate(2, flags, out var folio))
                    return 0;
                int length = folio.Length;
                allocator.Free(folio);
                return length;
            }

            public int Copy(ExtentBuffer from, ExtentBuffer to)
            {
                to.CopyFrom(from);
                to.Move(8, 0, 64);
                return to.Compare(0, stackalloc byte[8]);
            }

            public bool Bits(ExtentBuffer buffer, int bit)
            {
                buffer.SetBits(64, bit, 3);
                bool set = buffer.TestBit(64, bit + 1);
                buffer.ClearBits(64, bit, 3);
                return set;
            }

            public int Pairs(ExtentBuffer buffer, int n)
            {
                var first = buffer.Map();
                var second = n > 0 ? buffer.Map() : null;
                try
                {
                    return first.Span.Length + (second?.Span.Length ?? 0);
                }
                finally
                {
                    second?.Dispose();
                    first.Dispose();
                }
            }

            public int Local(ExtentBuffer buffer)
            {
                int Read(int o) => buffer.ReadByte(o);
                Func<int, int> twice = o => Read(o) * 2;
                return twice(3) + Read(5);
            }
        }
        """;

    public static string Plain(int index) => $$"""
        using System;
        using System.Buffers;
        using System.Buffers.Binary;
        using System.Collections.Generic;
        using System.IO;

        public class Record{{index}}
        {
            private const int Order = 2;
            private readonly List<MemoryStream> _kept = new();

            public uint Key(byte[] buffer, int offset)
            {
                var page = buffer.AsSpan();
                uint header = BinaryPrimitives.ReadUInt32LittleEndian(page.Slice(16, 4));
                uint key = BinaryPrimitives.ReadUInt32LittleEndian(page.Slice(offset % 4096, 4));
                for (int i = 0; i < 16; i++)
                    header += page[i * 8];
                return header ^ key ^ BinaryPrimitives.ReadUInt32LittleEndian(page.Slice(offset + 4));
            }

            public byte[] Grow(ArrayPool<byte> pool, int n)
            {
                var small = pool.Rent(8192);
                pool.Return(small);
                if (n > 3)
                    return pool.Rent(16384 << Order);
                return pool.Rent(4096 * n);
            }

            public int Scan(byte[] buffer, int count)
            {
                var view = new MemoryStream(buffer);
                try
                {
                    int sum = 0;
                    for (int i = 0; i < count; i++)
                    {
                        int b = view.ReadByte();
                        if (b == 0)
                            return sum;
                        sum += b;
                    }
                    return sum;
                }
                finally
                {
                    view.Dispose();
                }
            }

            public int Leaky(byte[] buffer, int count)
            {
                var view = new MemoryStream(buffer);
                if (count == 0)
                    return 0;
                using var other = new MemoryStream(buffer);
                int total = (int)(view.Length + other.Length);
                view.Dispose();
                return total;
            }

            public void Keep(byte[] buffer) => _kept.Add(new MemoryStream(buffer));

            public int Pages(byte[] buffer)
            {
                int touched = 0;
                for (int offset = 0; offset < buffer.Length; offset += 4096)
                {
                    buffer[offset] = 1;
                    touched++;
                }
                return touched + buffer[^1];
            }

            public ulong Header(byte[] buffer, int slot)
            {
                int offset = 101 + slot * 25;
                ulong objectId = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(offset));
                byte type = buffer[offset + 8];
                ulong keyOffset = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(offset + 9));
                uint itemOffset = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset + 17));
                uint itemSize = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset + 21));
                return objectId ^ type ^ keyOffset ^ itemOffset ^ itemSize;
            }

            public void Fill(byte[] buffer, ReadOnlySpan<byte> source, int at)
            {
                if (at < 0 || at + source.Length > buffer.Length)
                    throw new ArgumentOutOfRangeException(nameof(at));
                source.CopyTo(buffer.AsSpan(at));
                buffer.AsSpan(at + source.Length, Math.Min(64, buffer.Length - at - source.Length)).Clear();
            }

            public byte[] Contiguous(ArrayPool<byte> pool, int bytes)
            {
                var buffer = pool.Rent(bytes);
                buffer.AsSpan().Clear();
                return buffer;
            }

            public int Flags(ArrayPool<byte> pool, bool quick)
            {
                var flags = FileOptions.None;
                if (quick)
                    flags |= FileOptions.Asynchronous;
                var rented = pool.Rent(flags == FileOptions.None ? 16 : 32);
                int length = rented.Length;
                pool.Return(rented);
                return length;
            }

            public int Copy(byte[] from, byte[] to)
            {
                from.CopyTo(to, 0);
                Buffer.BlockCopy(to, 0, to, 8, 64);
                return to.AsSpan(0, 8).SequenceCompareTo(stackalloc byte[8]);
            }

            public bool Bits(byte[] buffer, int bit)
            {
                buffer[64 + (bit >> 3)] |= (byte)(7 << (bit & 7));
                bool set = (buffer[64 + ((bit + 1) >> 3)] & (1 << ((bit + 1) & 7))) != 0;
                buffer[64 + (bit >> 3)] &= (byte)~(7 << (bit & 7));
                return set;
            }

            public int Pairs(byte[] buffer, int n)
            {
                var first = new MemoryStream(buffer);
                var second = n > 0 ? new MemoryStream(buffer) : null;
                try
                {
                    return (int)(first.Length + (second?.Length ?? 0));
                }
                finally
                {
                    second?.Dispose();
                    first.Dispose();
                }
            }

            public int Local(byte[] buffer)
            {
                int Read(int o) => buffer[o];
                Func<int, int> twice = o => Read(o) * 2;
                return twice(3) + Read(5);
            }
        }
        """;
}
