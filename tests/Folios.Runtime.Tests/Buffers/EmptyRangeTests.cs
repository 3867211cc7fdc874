namespace Folios.Tests.Buffers;

/// <summary>
/// One range rule for every helper that takes a range: an empty range may sit anywhere from the start of the buffer to
/// its end (offset == Length included), never before the start or past the end, and it touches nothing. Bit ranges
/// follow the same rule counted in bits.
/// </summary>
public class EmptyRangeTests
{
    private const int Length = 10000;

    /// <summary>Each helper called with an empty range at an offset; the name of that offset's parameter.</summary>
    public static TheoryData<string> Helpers() => new(EmptyAt.Keys);

    private static readonly Dictionary<string, (string Parameter, Action<ExtentBuffer, ExtentBuffer, int> Call)> EmptyAt = new()
    {
        ["Read"] = ("offset", (buffer, _, at) => buffer.Read(at, [])),
        ["Write"] = ("offset", (buffer, _, at) => buffer.Write(at, [])),
        ["Compare"] = ("offset", (buffer, _, at) => Assert.Equal(0, buffer.Compare(at, []))),
        ["Clear"] = ("offset", (buffer, _, at) => buffer.Clear(at, 0)),
        ["CopyFrom to"] = ("destinationOffset", (buffer, other, at) => buffer.CopyFrom(other, at, 0, 0)),
        ["CopyFrom from"] = ("sourceOffset", (buffer, other, at) => other.CopyFrom(buffer, 0, at, 0)),
        ["Move to"] = ("destinationOffset", (buffer, _, at) => buffer.Move(at, 0, 0)),
        ["Move from"] = ("sourceOffset", (buffer, _, at) => buffer.Move(0, at, 0)),
        ["SetBits at a byte"] = ("start", (buffer, _, at) => buffer.SetBits(at, 0, 0)),
        ["ClearBits at a byte"] = ("start", (buffer, _, at) => buffer.ClearBits(at, 0, 0)),
        ["SetBits at a bit"] = ("position", (buffer, _, at) => buffer.SetBits(0, ToBits(at), 0)),
        ["ClearBits at a bit"] = ("position", (buffer, _, at) => buffer.ClearBits(0, ToBits(at), 0)),
        ["AsSequence"] = ("offset", (buffer, _, at) => Assert.True(buffer.AsSequence(at, 0).IsEmpty)),
    };

    /// <summary>A byte offset as a bit position, saturated so that far-off offsets stay far off in bits too.</summary>
    private static int ToBits(int offset) => (int)Math.Clamp(offset * 8L, int.MinValue, int.MaxValue);

    public static TheoryData<BufferLayout, string> LayoutsAndHelpers()
    {
        var cases = new TheoryData<BufferLayout, string>();
        foreach (var layout in Enum.GetValues<BufferLayout>())
        {
            foreach (var helper in EmptyAt.Keys)
                cases.Add(layout, helper);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(LayoutsAndHelpers))]
    public void An_empty_range_is_accepted_from_the_start_to_the_end_and_touches_nothing(BufferLayout layout, string helper)
    {
        using var allocator = BufferFactory.AllocatorFor(layout, 4096);
        using var buffer = BufferFactory.Create(allocator, layout, Length);
        using var other = BufferFactory.Create(allocator, layout, Length);
        var contents = Filled(buffer, other);
        foreach (int at in new[] { 0, 1, 4095, 4096, Length - 1, Length })
            EmptyAt[helper].Call(buffer, other, at);
        AssertUnchanged(contents, buffer, other);
    }

    [Theory]
    [MemberData(nameof(LayoutsAndHelpers))]
    public void An_empty_range_before_the_start_or_past_the_end_names_its_offset_and_touches_nothing(BufferLayout layout, string helper)
    {
        using var allocator = BufferFactory.AllocatorFor(layout, 4096);
        using var buffer = BufferFactory.Create(allocator, layout, Length);
        using var other = BufferFactory.Create(allocator, layout, Length);
        var contents = Filled(buffer, other);
        var (parameter, call) = EmptyAt[helper];
        foreach (int at in new[] { -1, Length + 1, int.MaxValue, int.MinValue })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => call(buffer, other, at));
            Assert.Equal(parameter, error.ParamName);
            Assert.Contains($"length {Length}", error.Message);
        }
        AssertUnchanged(contents, buffer, other);
    }

    [Theory]
    [MemberData(nameof(Helpers))]
    public void An_empty_range_of_a_disposed_buffer_is_refused_even_where_it_would_fit(string helper)
    {
        using var allocator = BufferFactory.Allocator(4096);
        var buffer = ExtentBuffer.Allocate(allocator, Length);
        using var other = ExtentBuffer.Allocate(allocator, Length);
        buffer.Dispose();
        foreach (int at in new[] { 0, Length })
            Assert.Throws<ObjectDisposedException>(() => EmptyAt[helper].Call(buffer, other, at));
    }

    [Fact]
    public void A_range_of_no_bits_may_sit_at_any_bit_up_to_the_end_but_not_one_past_it()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        buffer.Clear(0, Length);
        buffer.SetBits(Length - 1, 3, 0);   // an empty range inside a byte: the byte stays as it was
        buffer.SetBits(Length - 1, 8, 0);   // the last bit boundary
        buffer.ClearBits(0, Length * 8, 0);
        Assert.Equal(0, buffer.ReadByte(Length - 1));
        Assert.Equal("position", Assert.Throws<ArgumentOutOfRangeException>(() => buffer.SetBits(Length - 1, 9, 0)).ParamName);
        Assert.Equal("position", Assert.Throws<ArgumentOutOfRangeException>(() => buffer.SetBits(Length, 1, 0)).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => buffer.SetBits(Length + 1, 0, 0)).ParamName);
        // The same places with one bit: the first bit lies outside, so the start or position is at fault, not the count.
        Assert.Equal("position", Assert.Throws<ArgumentOutOfRangeException>(() => buffer.SetBits(Length - 1, 8, 1)).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => buffer.SetBits(Length, 0, 1)).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => buffer.TestBit(Length, 0)).ParamName);
        buffer.SetBits(Length - 1, 7, 1);
        Assert.True(buffer.TestBit(Length - 1, 7));
        Assert.Equal(0x80, buffer.ReadByte(Length - 1));
    }

    [Fact]
    public void A_non_empty_range_that_starts_at_the_end_names_its_offset_and_one_that_runs_past_it_its_length()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        Assert.Equal("offset", Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Read(Length, new byte[1])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Read(Length - 1, new byte[2])).ParamName);
        Assert.Equal("offset", Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Clear(Length, 1)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Clear(Length - 1, 2)).ParamName);
        Assert.Equal("offset", Assert.Throws<ArgumentOutOfRangeException>(() => buffer.AsSequence(Length, 1)).ParamName);
    }

    private static byte[][] Filled(params ExtentBuffer[] buffers)
    {
        var random = new Random(11);
        return buffers.Select(buffer =>
        {
            var bytes = new byte[buffer.Length];
            random.NextBytes(bytes);
            buffer.Write(0, bytes);
            return bytes;
        }).ToArray();
    }

    private static void AssertUnchanged(byte[][] contents, params ExtentBuffer[] buffers)
    {
        for (int i = 0; i < buffers.Length; i++)
        {
            var now = new byte[buffers[i].Length];
            buffers[i].Read(0, now);
            Assert.Equal(contents[i], now);
        }
    }
}
