using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Tests;

/// <summary>
/// The one reading of conditions every rule shares: each way of writing a test gives the same facts, patterns are
/// guards like comparisons, and only what is tested before an operation holds at it.
/// </summary>
public class ConditionsTests
{
    [Theory]
    // One fact, however the test is written.
    [InlineData("!flag", true, "flag Equals False")]
    [InlineData("flag is false", true, "flag Equals False")]
    [InlineData("flag == false", true, "flag Equals False")]
    [InlineData("flag != true", true, "flag Equals False")]
    [InlineData("flag is true", false, "flag Equals False")]
    [InlineData("flag", false, "flag Equals False")]
    [InlineData("n >= 8", true, "n GreaterThanOrEqual 8")]
    [InlineData("8 <= n", true, "n GreaterThanOrEqual 8")]
    [InlineData("n is >= 8", true, "n GreaterThanOrEqual 8")]
    [InlineData("n is >= 8", false, "n LessThan 8")]
    [InlineData("!(n < 8)", true, "n GreaterThanOrEqual 8")]
    [InlineData("n is not < 8", true, "n GreaterThanOrEqual 8")]
    [InlineData("n < m", true, "n LessThan m; m GreaterThan n")]
    [InlineData("n is > 0 and < 10", true, "n GreaterThan 0; n LessThan 10")]
    [InlineData("n is 0 or 1", false, "n NotEquals 0; n NotEquals 1")]
    // A NaN fails every ordering; a nullable bool that is not true may be null.
    [InlineData("ratio < 1.0", false, "")]
    [InlineData("maybe is true", false, "maybe NotEquals True")]
    [InlineData("maybe == true", true, "maybe Equals True")]
    // Conjunctions give their parts where they hold, disjunctions where they fail; neither the other way.
    [InlineData("flag && n > 2", true, "flag Equals True; n GreaterThan 2")]
    [InlineData("flag && n > 2", false, "")]
    [InlineData("flag || n > 2", false, "flag Equals False; n LessThanOrEqual 2")]
    [InlineData("flag || n > 2", true, "")]
    // Property, list, type and positional patterns.
    [InlineData("data is { IsSingleSegment: true, Length: >= 8 }", true, "data.IsSingleSegment Equals True; data.Length GreaterThanOrEqual 8")]
    [InlineData("data is { IsSingleSegment: true, Length: >= 8 }", false, "")]
    [InlineData("data is not { IsSingleSegment: true }", false, "data.IsSingleSegment Equals True")]
    [InlineData("data is not { IsSingleSegment: true }", true, "data.IsSingleSegment Equals False")]
    [InlineData("data is { First.Length: > 0 }", true, "data.First.Length GreaterThan 0")]
    [InlineData("span is [0x89, (byte)'P', ..]", true, "span.Length GreaterThanOrEqual 2")]
    [InlineData("span is [1, 2]", true, "span.Length Equals 2")]
    [InlineData("span is [0x89, ..]", false, "")]
    [InlineData("boxed is string", true, "boxed NotEquals null")]
    [InlineData("boxed == null", false, "boxed NotEquals null")]
    [InlineData("boxed is { }", true, "boxed NotEquals null")]
    [InlineData("(flag, n) is (true, _)", true, "flag Equals True")]
    [InlineData("(flag, n) is (true, _)", false, "flag Equals False")]
    // A flag computed once: its value, and what it was computed from.
    [InlineData("big", true, "big Equals True; n GreaterThanOrEqual 4")]
    [InlineData("big", false, "big Equals False; n LessThan 4")]
    [InlineData("big is false", true, "big Equals False; n LessThan 4")]
    [InlineData("big == false", true, "big Equals False; n LessThan 4")]
    [InlineData("big != true", true, "big Equals False; n LessThan 4")]
    [InlineData("big is not true", true, "big Equals False; n LessThan 4")]
    [InlineData("big is true", true, "big Equals True; n GreaterThanOrEqual 4")]
    public void A_condition_gives_the_same_facts_however_it_is_written(string condition, bool holds, string expected)
    {
        var method = Method($"bool big = n >= 4; if ({condition}) {{ }}");
        var test = method.Descendants().OfType<IConditionalOperation>().Last().Condition;
        Assert.Equal(expected, Describe(Conditions.Establish(test, holds)));
    }

    [Theory]
    [InlineData("if (n < 4) return; Here();", "n GreaterThanOrEqual 4")]
    [InlineData("if (n < 4) { Log(); throw new InvalidOperationException(); } Here();", "n GreaterThanOrEqual 4")]
    [InlineData("if (!flag) Fail(); Here();", "flag Equals True")]
    [InlineData("if (n < 4) Log(); Here();", "")]
    [InlineData("if (n >= 4) { } else return; Here();", "n GreaterThanOrEqual 4")]
    // A check after the operation establishes nothing at it.
    [InlineData("Here(); if (n < 4) return;", "")]
    [InlineData("System.Diagnostics.Debug.Assert(data.IsSingleSegment); Here();", "data.IsSingleSegment Equals True")]
    [InlineData("if (flag && n > 2) Here();", "flag Equals True; n GreaterThan 2")]
    [InlineData("if (flag || n > 2) Here();", "")]
    [InlineData("if (flag) { } else if (n == 3) Here();", "n Equals 3; flag Equals False")]
    [InlineData("_ = flag ? 0 : Here();", "flag Equals False")]
    [InlineData("_ = n > 0 && Here() > 0;", "n GreaterThan 0")]
    [InlineData("while (n > 0) { Here(); n--; }", "n GreaterThan 0")]
    [InlineData("for (int i = 0; i < n; i++) Here();", "i LessThan n; n GreaterThan i")]
    [InlineData("do { Here(); } while (n > 0);", "")]
    // Switch arms: the arm's pattern, its when clause, and the unguarded arms before it, which failed.
    [InlineData("_ = n switch { < 4 => 0, >= 8 => Here(), _ => 1 };", "n GreaterThanOrEqual 4; n GreaterThanOrEqual 8")]
    [InlineData("_ = n switch { >= 8 when flag => Here(), _ => 0 };", "n GreaterThanOrEqual 8; flag Equals True")]
    [InlineData("_ = n switch { 1 when flag => 0, _ => Here() };", "")]
    [InlineData("_ = data.Length switch { >= 8 => Here(), _ => 0 };", "data.Length GreaterThanOrEqual 8")]
    [InlineData("_ = (data.IsSingleSegment, flag) switch { (true, _) => Here(), _ => 0 };", "data.IsSingleSegment Equals True")]
    [InlineData("switch (n) { case < 4: break; case 8: Here(); break; }", "n GreaterThanOrEqual 4; n Equals 8")]
    [InlineData("switch (n) { case 8: break; default: Here(); break; case < 4: break; }", "n NotEquals 8; n GreaterThanOrEqual 4")]
    [InlineData("switch (n) { case 1: case 2: Here(); break; }", "")]
    [InlineData("switch (n) { case 1: break; case > 4 when flag: Log(); Here(); break; }", "n NotEquals 1; n GreaterThan 4; flag Equals True")]
    // A lambda may run at any time: nothing outside it holds inside.
    [InlineData("if (flag) { Func<int> later = () => Here(); }", "")]
    public void Only_what_is_tested_on_the_way_in_holds_at_an_operation(string body, string expected)
    {
        var method = Method(body);
        var here = method.Descendants().OfType<IInvocationOperation>().First(call => call.TargetMethod.Name == "Here");
        Assert.Equal(expected, Describe(Conditions.At(here)));
    }

    [Fact]
    public void A_fact_names_its_member_and_owner_however_the_member_was_written()
    {
        var method = Method("if ((int)data.Length > 0 && data is { IsEmpty: false }) { }");
        var facts = Conditions.Establish(method.Descendants().OfType<IConditionalOperation>().Single().Condition, true);
        Assert.Equal(2, facts.Count);
        foreach (var fact in facts)
        {
            Assert.True(fact.Subject.TryGetMember(out var member, out var owner));
            Assert.Equal("data", owner.Operation?.Syntax.ToString());
            Assert.Contains(member.Name, new[] { "Length", "IsEmpty" });
        }
        Assert.Equal(1, facts[0].LowerBound);
        Assert.True(facts[1].IsBoolean(out bool isEmpty) && !isEmpty);
    }

    [Fact]
    public void A_fact_keeps_where_it_was_tested()
    {
        var method = Method("bool big = n >= 4; n = 0; if (big) { }");
        var facts = Conditions.Establish(method.Descendants().OfType<IConditionalOperation>().Single().Condition, true);
        // The comparison in the initializer, not the test of the flag: a write to n between them voids the fact.
        Assert.Equal("big", facts[0].Origin.Syntax.ToString());
        Assert.Equal("n >= 4", facts[1].Origin.Syntax.ToString());
    }

    private static string Describe(List<Fact> facts) => string.Join("; ", facts);

    private static IOperation Method(string body)
    {
        var source = $$"""
            using System;
            using System.Buffers;
            using System.Diagnostics.CodeAnalysis;
            class C
            {
                void M(bool flag, bool? maybe, int n, int m, double ratio, ReadOnlySequence<byte> data, ReadOnlySpan<byte> span, object boxed)
                {
                    {{body}}
                }
                static int Here() => 0;
                static void Log() { }
                [DoesNotReturn] static void Fail() => throw new InvalidOperationException();
            }
            """;
        var (method, _, model) = Repository.MethodM(source);
        return model.GetOperation(method)!;
    }
}
