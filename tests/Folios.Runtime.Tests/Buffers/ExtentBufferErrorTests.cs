namespace Folios.Tests.Buffers;

public class ExtentBufferErrorTests
{
    public static TheoryData<BufferLayout> Layouts() => new(Enum.GetValues<BufferLayout>());

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Bad_ranges_throw_naming_length_offset_and_count_and_write_nothing(BufferLayout layout)
    {
        using var allocator = BufferFactory.AllocatorFor(layout, 4096);
        using var buffer = BufferFactory.Create(allocator, layout, 10000);
        buffer.Clear(0, 10000);
        var ones = new byte[16];
        Array.Fill(ones, (byte)1);

        var cases = new (Action Act, string Offset, string Length)[]
        {
            (() => buffer.Write(-1, ones), "-1", "16"),
            (() => buffer.Write(9990, ones), "9990", "16"),          // straddles the end: nothing may be written
            (() => buffer.Write(int.MaxValue, ones), "2147483647", "16"),
            (() => buffer.Read(9999, new byte[2]), "9999", "2"),
            (() => buffer.Clear(100, -1), "100", "-1"),
            (() => buffer.Clear(int.MaxValue - 4, 10), "2147483643", "10"),
            (() => buffer.ReadUInt32LittleEndian(9997), "9997", "4"),
            (() => buffer.WriteUInt64LittleEndian(9993, ulong.MaxValue), "9993", "8"),
            (() => buffer.WriteByte(10000, 1), "10000", "1"),
            (() => buffer.Compare(9999, ones), "9999", "16"),
            (() => buffer.Move(9990, 0, 16), "9990", "16"),
            (() => buffer.Move(0, 9990, 16), "9990", "16"),
            (() => buffer.Write(9996, 1L), "9996", "8"),
        };
        foreach (var (act, offset, length) in cases)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(act);
            Assert.Contains($"offset {offset}", error.Message);
            Assert.Contains($"length {length}", error.Message);
            Assert.Contains("buffer of length 10000", error.Message);
        }
        var contents = new byte[10000];
        buffer.Read(0, contents);
        Assert.True(contents.AsSpan().IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Bit_ranges_outside_the_buffer_are_rejected_before_any_bit_changes()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, 4100);
        buffer.Clear(0, 4100);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.SetBits(4096, 0, 33));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.TestBit(4099, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.SetBits(0, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.ClearBits(0, 0, -1));
        Assert.Equal(0u, buffer.ReadUInt32LittleEndian(4096));
        buffer.SetBits(4096, 0, 32);
        Assert.Equal(uint.MaxValue, buffer.ReadUInt32LittleEndian(4096));
    }

    [Fact]
    public void Use_after_dispose_throws_ObjectDisposedException()
    {
        using var allocator = BufferFactory.Allocator(4096);
        var buffer = ExtentBuffer.Allocate(allocator, 8192);
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.ReadByte(0));
        Assert.Throws<ObjectDisposedException>(() => buffer.Write(0, new byte[1]));
        Assert.Throws<ObjectDisposedException>(() => buffer.GetFolio(0));
        Assert.Throws<ObjectDisposedException>(() => buffer.Map());
        Assert.Throws<ObjectDisposedException>(() => buffer.TestBit(0, 0));
    }

    [Fact]
    public void Bad_allocation_arguments_are_rejected()
    {
        using var allocator = BufferFactory.Allocator(4096);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => ExtentBuffer.Allocate(allocator, 0)).ParamName);
        Assert.Equal("policy", Assert.Throws<ArgumentOutOfRangeException>(() => ExtentBuffer.Allocate(allocator, 10, (AllocationPolicy)9)).ParamName);
        Assert.Throws<ArgumentNullException>(() => ExtentBuffer.Allocate(null!, 10));
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ExtentBuffer.Allocate(allocator, 4096 << 7, AllocationPolicy.SingleFolio, AllocFlags.None)).ParamName);
    }

    [Fact]
    public void CopyFrom_of_unequal_lengths_and_raw_access_out_of_range_are_rejected()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var small = ExtentBuffer.Allocate(allocator, 4096);
        using var large = ExtentBuffer.Allocate(allocator, 8192);
        Assert.Contains("equal lengths", Assert.Throws<ArgumentException>(() => large.CopyFrom(small)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => large.CopyFrom(small, 0, 100, 4000));
        Assert.Throws<ArgumentOutOfRangeException>(() => large.GetFolio(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => large.FolioIndex(8192));
        Assert.Throws<ArgumentOutOfRangeException>(() => large.OffsetInFolio(-1));
    }
}
