using Microsoft.CodeAnalysis.Testing;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.RawPageAccessAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class RawPageAccessAnalyzerTests
{
    private const string Members = """
        [PageHelper] static uint Helper(ExtentBuffer b, int o) => BinaryPrimitives.ReadUInt32LittleEndian(b.GetFolio(b.FolioIndex(o)).Span.Slice(b.OffsetInFolio(o)));
        T Generic<T>(int o) where T : unmanaged => {|FOLIO002:MemoryMarshal.Read<T>(buffer.GetFolio(0).Span.Slice(o))|};
        async Task<byte> Async(int o) { await Task.Yield(); return {|FOLIO002:buffer.GetFolio(0).Span[o]|}; }
        [PageHelper] sealed class Walker { byte At(ExtentBuffer b, int o) => b.GetFolio(o >> 12).Span[o & 4095]; }
        """;

    [Theory]
    [InlineData("var b = {|FOLIO002:buffer.GetFolio(0).Span[n]|};")]
    [InlineData("{|FOLIO002:buffer.GetFolio(0).Span[n]|} = 1;")]
    [InlineData("var v = {|FOLIO002:BinaryPrimitives.ReadUInt32LittleEndian(buffer.GetFolio(buffer.FolioIndex(n)).Span.Slice(buffer.OffsetInFolio(n), 4))|};")]
    [InlineData("{|FOLIO002:BinaryPrimitives.WriteUInt64LittleEndian(buffer.GetFolio(n / 4096).Span.Slice(n % 4096), 7UL)|};")]
    [InlineData("var v = {|FOLIO002:MemoryMarshal.Read<long>(buffer.GetFolio(0).Span.Slice(n))|};")]
    [InlineData("var ints = {|FOLIO002:MemoryMarshal.Cast<byte, int>(buffer.GetFolio(0).Span)|};")]
    [InlineData("{|FOLIO002:buffer.GetFolio(0).Span.Slice(n, 16).CopyTo(destination)|};")]
    [InlineData("{|FOLIO002:destination.AsSpan().CopyTo(buffer.GetFolio(0).Span.Slice(n))|};")]
    [InlineData("var whole = {|FOLIO002:buffer.GetFolio(0).Span.Slice(0, buffer.Length)|};")]
    [InlineData("var span = buffer.GetFolio(1).Span; var b = {|FOLIO002:span[n]|};")]
    [InlineData("var folio = buffer.GetFolio(0); var b = {|FOLIO002:folio.Span[n]|};")]
    [InlineData("var v = {|FOLIO002:BinaryPrimitives.ReadUInt16LittleEndian(buffer.GetFolio(0).Span.Slice(4095))|};")]
    [InlineData("var b = {|FOLIO002:buffer.GetFolio(0).Span[5000]|};")]
    [InlineData("Func<int, byte> read = o => {|FOLIO002:buffer.GetFolio(0).Span[o]|};")]
    [InlineData("byte Local(int o) => {|FOLIO002:buffer.GetFolio(0).Span[o]|}; Local(n);")]
    [InlineData("var b = n switch { 0 => (byte)0, _ => {|FOLIO002:buffer.GetFolio(0).Span[n]|} };")]
    [InlineData("var s = {|FOLIO002:buffer.GetFolio(0).Span.Slice(n)|}; s.Clear();")]
    public Task Reports_raw_access_not_proven_inside_the_folio(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    [Theory]
    [InlineData("var b = buffer.GetFolio(0).Span[10];")]
    [InlineData("var b = buffer.GetFolio(n).Span[4095];")]
    [InlineData("var v = BinaryPrimitives.ReadUInt32LittleEndian(buffer.GetFolio(n).Span.Slice(8, 4));")]
    [InlineData("var v = BinaryPrimitives.ReadUInt64LittleEndian(buffer.GetFolio(0).Span);")]
    [InlineData("var v = MemoryMarshal.Read<int>(buffer.GetFolio(0).Span.Slice(16));")]
    [InlineData("buffer.GetFolio(0).Span.CopyTo(destination);")]
    [InlineData("buffer.GetFolio(0).Span.Slice(0, 4096).CopyTo(destination);")]
    [InlineData("buffer.GetFolio(0).Span.Clear();")]
    [InlineData("var v = buffer.ReadUInt32LittleEndian(n);")]
    [InlineData("var b = buffer.ReadByte(n);")]
    [InlineData("var f = allocator.Allocate(0); var b = f.Span[n];")]
    [InlineData("var s = new byte[8].AsSpan(); var b = s[n];")]
    [InlineData("var span = buffer.GetFolio(1).Span; var b = span[12];")]
    [InlineData("var v = Helper(buffer, n);")]
    [InlineData("var len = buffer.GetFolio(0).Span.Length;")]
    [InlineData("var b = buffer.GetFolio(0).Span[4095 - 1];")]
    public Task Stays_silent_on_helpers_and_provably_in_page_access(string body) =>
        Verify.Analyze(Snippets.InMethod(body, SafeMembers));

    private const string SafeMembers = """
        [PageHelper] static uint Helper(ExtentBuffer b, int o) => BinaryPrimitives.ReadUInt32LittleEndian(b.GetFolio(b.FolioIndex(o)).Span.Slice(b.OffsetInFolio(o)));
        T Generic<T>(int o) where T : unmanaged => buffer.Read<T>(o);
        async Task<byte> Async(int o) { await Task.Yield(); return buffer.GetFolio(0).Span[0]; }
        """;

    [Fact]
    public Task The_page_size_option_widens_the_provably_safe_range() => Verify.Analyze(
        Snippets.InMethod("var a = buffer.GetFolio(0).Span[5000]; var b = {|FOLIO002:buffer.GetFolio(0).Span[20000]|};"),
        editorConfig: "folios.page_size = 16384");

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.InMethod("""
        #pragma warning disable FOLIO002
        var b = buffer.GetFolio(0).Span[n];
        #pragma warning restore FOLIO002
        """));

    [Fact]
    public Task Incomplete_code_is_analyzed_without_failing() => Verify.AnalyzeIncomplete(Snippets.InMethod("var b = buffer.GetFolio(0).Span[; var c = buffer.GetFolio().Span.Slice(n"));

    private const string Parsers = """
        static int Sum(Span<byte> s) { int t = 0; for (int i = 0; i < 8; i++) t += s[i]; return t; }
        static uint Key(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s.Slice(at));
        static int Count(Span<byte> s) => s.Length;
        [PageHelper] static byte First(Span<byte> s) => s[0];
        """;

    [Theory]
    [InlineData("var s = buffer.GetFolio(0).Span; var t = {|FOLIO002:s[^4..]|};")]
    [InlineData("var s = buffer.GetFolio(0).Span; var b = {|FOLIO002:s[^1]|};")]
    [InlineData("var s = buffer.GetFolio(0).Span; {|FOLIO002:s[n..(n + 8)]|}.Clear();")]
    [InlineData("var x = {|FOLIO002:System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref buffer.GetFolio(0).Span[n])|};")]
    [InlineData("var x = {|FOLIO002:System.Runtime.CompilerServices.Unsafe.ReadUnaligned<long>(ref buffer.GetFolio(0).Span[4090])|};")]
    [InlineData("{|FOLIO002:System.Runtime.CompilerServices.Unsafe.WriteUnaligned<int>(ref buffer.GetFolio(0).Span[n], 1)|};")]
    [InlineData("ref byte r = ref {|FOLIO002:buffer.GetFolio(0).Span[n]|}; r = 1;")]
    [InlineData("unsafe { fixed (byte* p = {|FOLIO002:buffer.GetFolio(0).Span|}) { p[n] = 1; } }")]
    [InlineData("var t = {|FOLIO002:Sum(buffer.GetFolio(0).Span)|};")]
    [InlineData("var k = {|FOLIO002:Key(buffer.GetFolio(0).Span, n)|};")]
    public Task Reports_ranges_unsafe_pointers_and_the_users_own_parsers(string body) =>
        Verify.Analyze(Snippets.InMethod(body, Parsers), "", allowUnsafe: true);

    [Theory]
    [InlineData("var s = buffer.GetFolio(0).Span; var t = s[2..8];")]
    [InlineData("var s = buffer.GetFolio(0).Span; s[..16].Clear();")]
    [InlineData("var x = System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref buffer.GetFolio(0).Span[8]);")]
    [InlineData("var c = Count(buffer.GetFolio(0).Span);")]
    [InlineData("var f = First(buffer.GetFolio(0).Span);")]
    [InlineData("var b = buffer.ReadByte(buffer.Length - 1);")]
    public Task Stays_silent_on_ranges_inside_the_folio_and_methods_that_do_not_index(string body) =>
        Verify.Analyze(Snippets.InMethod(body, Parsers), "", allowUnsafe: true);

    // How parsers declare a page: a read-only span or memory, converted from the folio's span or AsMemory().
    [Theory]
    [InlineData("ReadOnlySpan<byte> page = buffer.GetFolio(0).Span; var key = {|FOLIO002:BinaryPrimitives.ReadUInt32LittleEndian(page.Slice(n))|};")]
    [InlineData("ReadOnlySpan<byte> page = buffer.GetFolio(1).Span; var b = {|FOLIO002:page[n]|};")]
    [InlineData("var span = buffer.GetFolio(0).Span; ReadOnlySpan<byte> view = span; var b = {|FOLIO002:view[n]|};")]
    [InlineData("var page = (ReadOnlySpan<byte>)buffer.GetFolio(0).Span; var v = {|FOLIO002:MemoryMarshal.Read<long>(page.Slice(n))|};")]
    [InlineData("ReadOnlyMemory<byte> memory = buffer.GetFolio(0).AsMemory(); var b = {|FOLIO002:memory.Span[n]|};")]
    [InlineData("var memory = buffer.GetFolio(0).AsMemory(); {|FOLIO002:memory.Slice(n, 8).Span.CopyTo(destination)|};")]
    [InlineData("var v = {|FOLIO002:BinaryPrimitives.ReadUInt16LittleEndian(buffer.GetFolio(0).AsMemory().Span.Slice(n))|};")]
    [InlineData("ReadOnlyMemory<byte> memory = buffer.GetFolio(0).AsMemory(); Func<int, byte> at = o => {|FOLIO002:memory.Span[o]|};")]
    [InlineData("var folio = buffer.GetFolio(0); byte At(int o) => {|FOLIO002:folio.Span[o]|}; At(n);")]
    [InlineData("var page = buffer.GetFolio(0).Span; ref var alias = ref page; var b = {|FOLIO002:alias[n]|};")]
    [InlineData("ReadOnlySpan<byte> page = buffer.GetFolio(0).Span; ref readonly var view = ref page; var v = {|FOLIO002:BinaryPrimitives.ReadUInt16LittleEndian(view.Slice(n))|};")]
    public Task Reports_read_only_spans_and_memory_of_a_folio(string body) => Verify.Analyze(Snippets.InMethod(body));

    [Theory]
    [InlineData("ReadOnlySpan<byte> page = buffer.GetFolio(0).Span; var key = BinaryPrimitives.ReadUInt32LittleEndian(page.Slice(8));")]
    [InlineData("ReadOnlySpan<byte> page = buffer.GetFolio(1).Span; var b = page[12];")]
    [InlineData("ReadOnlyMemory<byte> memory = buffer.GetFolio(0).AsMemory(); var b = memory.Span[8];")]
    [InlineData("ReadOnlySpan<byte> bytes = destination; var b = bytes[n];")]
    [InlineData("var whole = allocator.Allocate(0); ReadOnlySpan<byte> span = whole.Span; var b = span[n];")]
    [InlineData("ReadOnlyMemory<byte> memory = allocator.Allocate(0).AsMemory(); var b = memory.Span[n];")]
    [InlineData("ReadOnlySpan<byte> page = buffer.GetFolio(0).Span; var length = page.Length;")]
    [InlineData("var page = buffer.GetFolio(0).Span; ref var alias = ref page; alias = destination; var b = page[n];")]
    [InlineData("var memory = buffer.GetFolio(0).AsMemory(); Action reset = () => memory = destination; reset(); var b = memory.Span[n];")]
    public Task Stays_silent_on_read_only_views_inside_the_folio_or_of_other_memory(string body) => Verify.Analyze(Snippets.InMethod(body));

    // A byte read where a pattern or guard tests it, and a list pattern, which reads the elements it matches.
    [Theory]
    [InlineData("ReadOnlySpan<byte> page = buffer.GetFolio(0).Span; var kind = n switch { > 0 when {|FOLIO002:page[n]|} == 0x80 => 1, _ => 0 };")]
    [InlineData("ReadOnlySpan<byte> page = buffer.GetFolio(0).Span; switch (n) { case 1 when {|FOLIO002:page[n]|} is 0x7F: return; }")]
    [InlineData("var page = buffer.GetFolio(0).Span; if ({|FOLIO002:page[n]|} is >= 0x80 and < 0xC0) return;")]
    [InlineData("var page = buffer.GetFolio(0).Span; var trailer = page is {|FOLIO002:[.., 0x55, 0xAA]|};")]
    [InlineData("var page = buffer.GetFolio(0).Span; var kind = page switch { [0x01, ..] => 1, {|FOLIO002:[.., 0]|} => 2, _ => 0 };")]
    [InlineData("var matched = buffer.GetFolio(0).Span.Slice(n) is {|FOLIO002:[0x42, ..]|};")]
    [InlineData("ReadOnlySpan<byte> page = buffer.GetFolio(0).Span; switch (page) { case {|FOLIO002:[_, .. [.., 0xFF]]|}: return; }")]
    public Task Reports_reads_in_patterns_and_guards(string body) => Verify.Analyze(Snippets.InMethod(body));

    [Theory]
    [InlineData("ReadOnlySpan<byte> page = buffer.GetFolio(0).Span; var kind = n switch { > 0 when page[8] == 0x80 => 1, _ => 0 };")]
    [InlineData("var page = buffer.GetFolio(0).Span; var png = page is [0x89, (byte)'P', (byte)'N', (byte)'G', ..];")]
    [InlineData("var page = buffer.GetFolio(0).Span; var kind = page switch { [0x01, .. var rest] => rest.Length, { Length: 0 } => 0, _ => 2 };")]
    [InlineData("var page = buffer.GetFolio(0).Span; if (page is { Length: >= 16 } and not [0, ..]) return;")]
    [InlineData("var page = buffer.GetFolio(0).Span; var empty = page.Slice(8) is { IsEmpty: true };")]
    public Task Stays_silent_on_patterns_that_read_inside_the_folio(string body) => Verify.Analyze(Snippets.InMethod(body));

    // [PageHelper] on a local function or a lambda: the cross-page logic lives there.
    [Theory]
    [InlineData("[PageHelper] byte At(int o) => buffer.GetFolio(o >> 12).Span[o & 4095]; var b = At(n);")]
    [InlineData("[PageHelper] static uint Key(ExtentBuffer b, int o) => BinaryPrimitives.ReadUInt32LittleEndian(b.GetFolio(b.FolioIndex(o)).Span.Slice(b.OffsetInFolio(o))); var k = Key(buffer, n);")]
    [InlineData("Func<int, byte> at = [PageHelper] (int o) => buffer.GetFolio(o >> 12).Span[o & 4095]; var b = at(n);")]
    [InlineData("[PageHelper] int Sum(Span<byte> s) { int t = 0; for (int i = 0; i < 8; i++) t += s[i]; return t; } var t = Sum(buffer.GetFolio(0).Span);")]
    public Task Stays_silent_in_local_functions_and_lambdas_marked_as_helpers(string body) => Verify.Analyze(Snippets.InMethod(body));

    [Theory]
    [InlineData("byte At(int o) { Func<int, byte> inner = [PageHelper] (int p) => buffer.GetFolio(0).Span[p]; return {|FOLIO002:buffer.GetFolio(0).Span[o]|}; } var b = At(n);")]
    [InlineData("int Sum(Span<byte> s) { int t = 0; for (int i = 0; i < 8; i++) t += s[i]; return t; } var t = {|FOLIO002:Sum(buffer.GetFolio(0).Span)|};")]
    public Task Reports_beside_a_helper_and_in_a_local_function_that_is_none(string body) => Verify.Analyze(Snippets.InMethod(body));

    // An offset bounded by the folio's own length is counted from that folio's start.
    [Theory]
    [InlineData("var page = buffer.GetFolio(1).Span; for (int j = 0; j < page.Length; j++) page[j] = 0;")]
    [InlineData("var folio = buffer.GetFolio(n); for (int j = 0; j < folio.Length; j++) folio.Span[j] = 0xFF;")]
    [InlineData("for (int j = 0; j < buffer.GetFolio(1).Span.Length; j++) buffer.GetFolio(1).Span[j] ^= 0x5A;")]
    [InlineData("ReadOnlySpan<byte> page = buffer.GetFolio(0).Span; uint sum = 0; for (int o = 0; o + 4 <= page.Length; o += 4) sum += BinaryPrimitives.ReadUInt32LittleEndian(page.Slice(o));")]
    [InlineData("var page = buffer.GetFolio(0).Span; int j = 0; while (j < page.Length && page[j] != 0) j++;")]
    [InlineData("var page = buffer.GetFolio(0).Span; if (n + 8 <= page.Length) { var v = BinaryPrimitives.ReadUInt64LittleEndian(page.Slice(n)); }")]
    [InlineData("var page = buffer.GetFolio(0).Span; if (n > page.Length - 8) return; page.Slice(n, 8).Clear();")]
    [InlineData("var page = buffer.GetFolio(0).Span; if (n >= page.Length) return; var b = page[n];")]
    [InlineData("var page = buffer.GetFolio(0).Span; int last = page.Length - 1; for (int j = 0; j <= last; j++) page[j] = 0;")]
    [InlineData("var page = buffer.GetFolio(0).Span; var b = n switch { _ when n < page.Length => page[n], _ => (byte)0 };")]
    public Task Stays_silent_on_offsets_bounded_by_the_folios_own_length(string body) => Verify.Analyze(Snippets.InMethod(body));

    [Theory]
    [InlineData("var page = buffer.GetFolio(1).Span; for (int j = 0; j < buffer.Length; j++) {|FOLIO002:page[j]|} = 0;")]
    [InlineData("var page = buffer.GetFolio(1).Span; var next = buffer.GetFolio(2).Span; for (int j = 0; j < next.Length; j++) {|FOLIO002:page[j]|} = 0;")]
    [InlineData("var page = buffer.GetFolio(0).Span; for (int j = 0; j < page.Length; j++) { page[j] = 0; j += 3; {|FOLIO002:page[j]|} = 1; }")]
    [InlineData("var page = buffer.GetFolio(0).Span; if (n + 2 <= page.Length) { var v = {|FOLIO002:BinaryPrimitives.ReadUInt32LittleEndian(page.Slice(n))|}; }")]
    [InlineData("var page = buffer.GetFolio(0).Span; for (int j = 0; j < page.Length; j++) {|FOLIO002:page[j + 1]|} = 0;")]
    [InlineData("var page = buffer.GetFolio(0).Span; var b = {|FOLIO002:page[n]|}; if (n >= page.Length) return;")]
    [InlineData("var page = buffer.GetFolio(0).Span; if (n < page.Length) { Func<byte> later = () => {|FOLIO002:buffer.GetFolio(0).Span[n]|}; }")]
    public Task Reports_offsets_bounded_by_another_length_or_moved_after_the_check(string body) => Verify.Analyze(Snippets.InMethod(body));
}
