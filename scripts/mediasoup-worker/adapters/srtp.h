// Adapter: the worker is written against the libsrtp 3 API, Debian ships
// libsrtp 2. This header exposes the handful of libsrtp 3 calls the worker
// makes (opaque policy object, out-of-place protect with size_t lengths,
// srtp_stream_remove) on top of the libsrtp 2 library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

// libsrtp 2 names its policy struct srtp_policy_t; libsrtp 3 uses that name
// for an opaque handle. Rename the v2 struct while its header is read.
#define srtp_policy_t srtp2_policy_t
#include <srtp2/srtp.h>
#undef srtp_policy_t

// Status codes that libsrtp 3 added after the last libsrtp 2 one.
constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

struct srtp3_policy_adapter
{
	srtp2_policy_t v2{};
	// libsrtp 2 reads the master key and salt as one concatenated buffer.
	unsigned char key[SRTP_MAX_KEY_LEN]{};
};

using srtp_policy_t = srtp3_policy_adapter*;

inline srtp_err_status_t srtp_policy_create(srtp_policy_t* policy)
{
	*policy = new (std::nothrow) srtp3_policy_adapter();

	return *policy ? srtp_err_status_ok : srtp_err_status_alloc_fail;
}

inline void srtp_policy_destroy(srtp_policy_t policy)
{
	delete policy;
}

inline srtp_err_status_t srtp_policy_set_ssrc(srtp_policy_t policy, srtp_ssrc_t ssrc)
{
	policy->v2.ssrc = ssrc;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_profile(srtp_policy_t policy, srtp_profile_t profile)
{
	const srtp_err_status_t err =
	  srtp_crypto_policy_set_from_profile_for_rtp(&policy->v2.rtp, profile);

	if (err != srtp_err_status_ok)
	{
		return err;
	}

	return srtp_crypto_policy_set_from_profile_for_rtcp(&policy->v2.rtcp, profile);
}

inline srtp_err_status_t srtp_policy_add_key(
  srtp_policy_t policy,
  const uint8_t* key,
  size_t keyLen,
  const uint8_t* salt,
  size_t saltLen,
  const uint8_t* /*mki*/,
  size_t mkiLen)
{
	if (mkiLen != 0 || keyLen + saltLen > sizeof(policy->key))
	{
		return srtp_err_status_bad_param;
	}

	std::memcpy(policy->key, key, keyLen);
	std::memcpy(policy->key + keyLen, salt, saltLen);
	policy->v2.key = policy->key;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_allow_repeat_tx(srtp_policy_t policy, bool allow)
{
	policy->v2.allow_repeat_tx = allow ? 1 : 0;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_window_size(srtp_policy_t policy, size_t windowSize)
{
	policy->v2.window_size = windowSize;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_create(srtp_t* session, srtp_policy_t policy)
{
	return srtp_create(session, &policy->v2);
}

inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}

namespace srtp3_adapter
{
	using InPlaceFn = srtp_err_status_t (*)(srtp_t, void*, int*);

	// libsrtp 3 reads from an input buffer and writes into an output buffer of
	// given capacity; libsrtp 2 works in place and assumes `growth` spare bytes
	// (the trailer when protecting, none when unprotecting).
	inline srtp_err_status_t Transform(
	  InPlaceFn fn,
	  size_t growth,
	  srtp_t ctx,
	  const uint8_t* in,
	  size_t inLen,
	  uint8_t* out,
	  size_t* outLen)
	{
		if (*outLen < inLen + growth)
		{
			return srtp_err_status_buffer_small;
		}

		if (out != in)
		{
			std::memmove(out, in, inLen);
		}

		int len                     = static_cast<int>(inLen);
		const srtp_err_status_t err = fn(ctx, out, &len);

		*outLen = static_cast<size_t>(len);

		return err;
	}
} // namespace srtp3_adapter

inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t /*mkiIndex*/)
{
	return srtp3_adapter::Transform(srtp_protect, SRTP_MAX_TRAILER_LEN, ctx, rtp, rtpLen, srtp, srtpLen);
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	return srtp3_adapter::Transform(srtp_unprotect, 0, ctx, srtp, srtpLen, rtp, rtpLen);
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t /*mkiIndex*/)
{
	// SRTCP adds the 4-byte E flag and index word on top of the auth tag.
	return srtp3_adapter::Transform(
	  srtp_protect_rtcp, SRTP_MAX_TRAILER_LEN + 4, ctx, rtcp, rtcpLen, srtcp, srtcpLen);
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return srtp3_adapter::Transform(srtp_unprotect_rtcp, 0, ctx, srtcp, srtcpLen, rtcp, rtcpLen);
}
