using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Tests;

/// <summary>Operations as keys are the same key only when they are the same operation, whatever syntax they share.</summary>
public class OperationIdentityTests
{
    [Fact]
    public void Operations_on_one_piece_of_syntax_are_different_keys()
    {
        var (tree, _, model) = Repository.Compile("class C { long M() { long x = 1; return x + (x); } }");
        var body = model.GetOperation(tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single())!;
        // The literal and the implicit conversion to long around it stand on the same syntax.
        var conversion = body.Descendants().OfType<IConversionOperation>().First(c => c.IsImplicit);
        var literal = conversion.Operand;
        Assert.Same(conversion.Syntax, literal.Syntax);
        // Every operation of the body is a key of its own.
        var all = body.Descendants().ToList();
        var keys = new HashSet<IOperation>(OperationIdentity.Instance);
        foreach (var operation in all)
            Assert.True(keys.Add(operation));
        Assert.Equal(all.Count, keys.Count);
        Assert.Contains(conversion, keys);
        Assert.Contains(literal, keys);
        Assert.False(OperationIdentity.Instance.Equals(conversion, literal));
        Assert.Equal(OperationIdentity.Instance.GetHashCode(literal), OperationIdentity.Instance.GetHashCode(literal));
    }

    [Fact]
    public void A_member_keeps_one_fact_per_part_when_parts_share_their_syntax()
    {
        var (tree, _, model) = Repository.Compile("class C { long M() => 1; }");
        var body = model.GetOperation(tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single())!;
        var conversion = body.Descendants().OfType<IConversionOperation>().Single();
        var cache = MemberCache.Of(body);
        var ofConversion = cache.Fact(conversion, static part => new List<IOperation> { part });
        var ofLiteral = cache.Fact(conversion.Operand, static part => new List<IOperation> { part });
        Assert.NotSame(ofConversion, ofLiteral);
        Assert.Same(conversion, ofConversion[0]);
        Assert.Same(ofConversion, cache.Fact(conversion, static part => new List<IOperation>()));
    }
}
