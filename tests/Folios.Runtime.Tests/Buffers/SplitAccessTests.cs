using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Folios.Tests.Buffers;

/// <summary>Values that straddle two pages take the split path: every size, every cut, pages adjacent or not.</summary>
public class SplitAccessTests
{
    [InlineArray(5000)]
    private struct LargerThanAPage
    {
        private byte _first;
    }

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct ThreeBytes
    {
        public byte A, B, C;
    }

    public static TheoryData<bool> Adjacency() => new() { true, false };

    [Theory]
    [MemberData(nameof(Adjacency))]
    public void Every_cut_of_every_size_reads_and_writes_what_a_byte_array_holds(bool adjacent)
    {
        using var allocator = BufferFactory.Allocator(4096, pages: 16);
        using var buffer = adjacent ? ExtentBuffer.Allocate(allocator, 3 * 4096) : ScatteredBuffer(allocator);
        var model = new byte[buffer.Length];
        new Random(7).NextBytes(model);
        buffer.Write(0, model);
        for (int offset = 4096 - 16; offset <= 4096 + 1; offset++)
        {
            Assert.Equal(Expected<ushort>(model, offset), buffer.Read<ushort>(offset));
            Assert.Equal(Expected<ThreeBytes>(model, offset), buffer.Read<ThreeBytes>(offset));
            Assert.Equal(Expected<uint>(model, offset), buffer.Read<uint>(offset));
            Assert.Equal(Expected<ulong>(model, offset), buffer.Read<ulong>(offset));
            Assert.Equal(Expected<Guid>(model, offset), buffer.Read<Guid>(offset));
            Assert.Equal(BitConverter.ToUInt32(model, offset), buffer.ReadUInt32LittleEndian(offset));
        }
        var big = buffer.Read<LargerThanAPage>(100);
        Assert.True(MemoryMarshal.AsBytes(new ReadOnlySpan<LargerThanAPage>(in big)).SequenceEqual(model.AsSpan(100, 5000)));

        for (int offset = 4096 - 15; offset < 4096; offset++)
        {
            var value = new Guid(model.AsSpan(offset + 4000, 16));
            buffer.Write(offset, value);
            MemoryMarshal.Write(model.AsSpan(offset), value);
            ulong word = 0x0102030405060708UL * (ulong)offset;
            buffer.WriteUInt64LittleEndian(offset + 4096, word);
            BitConverter.TryWriteBytes(model.AsSpan(offset + 4096), word);
        }
        var contents = new byte[buffer.Length];
        buffer.Read(0, contents);
        Assert.Equal(model, contents);
    }

    [Fact]
    public void A_straddling_read_past_the_end_names_the_offset_and_touches_nothing()
    {
        using var allocator = BufferFactory.Allocator(4096, pages: 16);
        using var buffer = ExtentBuffer.Allocate(allocator, 4096 + 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Read<ulong>(4095));
        Assert.Equal("offset", error.ParamName);
        Assert.Equal(0, buffer.Read<ushort>(4096));
    }

    private static T Expected<T>(byte[] model, int offset) where T : unmanaged => MemoryMarshal.Read<T>(model.AsSpan(offset));

    /// <summary>A three-page buffer whose pages are not neighbours in the arena.</summary>
    private static ExtentBuffer ScatteredBuffer(PageAllocator allocator)
    {
        var all = new Folio[16];
        Assert.Equal(16, allocator.AllocatePages(all));
        for (int i = 0; i < all.Length; i += 2)
            allocator.Free(all[i]);
        var buffer = ExtentBuffer.Allocate(allocator, 3 * 4096);
        for (int i = 0; i < 3; i++)
            Assert.Equal(0, buffer.GetFolio(i).FirstPage % 2);
        return buffer;
    }
}
