import AssayRuntime
import Foundation
import Testing

/// What `/v1/models` says about the weights behind a served name, without what changes on every request.
@Suite struct ServedModelTests {
  func entry(_ json: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
  }

  @Test func vLLMsRootIsKeptAndItsTimestampsAreNot() throws {
    let first = try entry(#"{"id": "ckpt", "object": "model", "created": 1764900000, "owned_by": "vllm", "root": "/models/fp8", "parent": null, "max_model_len": 8192, "permission": [{"id": "modelperm-1", "created": 1764900000}]}"#)
    let later = try entry(#"{"id": "ckpt", "object": "model", "created": 1764900123, "owned_by": "vllm", "root": "/models/fp8", "parent": null, "max_model_len": 8192, "permission": [{"id": "modelperm-2", "created": 1764900123}]}"#)
    let other = try entry(#"{"id": "ckpt", "object": "model", "created": 1764900000, "owned_by": "vllm", "root": "/models/bf16", "parent": null}"#)
    #expect(ServerInfo.served(first) == #"{"root":"/models/fp8"}"#)
    #expect(ServerInfo.served(later) == ServerInfo.served(first))
    #expect(ServerInfo.served(other) != ServerInfo.served(first))
  }

  @Test func llamaCppsMetaIsKept() throws {
    let served = ServerInfo.served(try entry(#"{"id": "m", "created": 5, "owned_by": "llamacpp", "meta": {"n_params": 1000, "size": 16106656, "vocab_type": 2}}"#))
    #expect(served == #"{"meta":{"n_params":1000,"size":16106656,"vocab_type":2}}"#)
  }

  @Test func anEntryWithNothingStableDescribesNothing() throws {
    #expect(ServerInfo.served(try entry(#"{"id": "mock-model", "object": "model", "owned_by": "assay"}"#)) == nil)
    #expect(ServerInfo.served(nil) == nil)
  }
}
