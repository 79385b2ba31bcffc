/*
 * libb2bcore — export macros and the C/C++ declaration guards.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_COMMON_H
#define B2B_COMMON_H

#include <stddef.h>
#include <stdint.h>

/**
 * @file b2b/common.h
 * @brief B2B_API and B2B_BEGIN_DECL / B2B_END_DECL, included by every header.
 */

#if defined(_WIN32)
#  if defined(B2B_BUILDING_DLL)
#    define B2B_API __declspec(dllexport)
#  elif defined(B2B_STATIC)
#    define B2B_API
#  else
#    define B2B_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define B2B_API __attribute__((visibility("default")))
#else
#  define B2B_API
#endif

#ifdef __cplusplus
#  define B2B_BEGIN_DECL extern "C" {
#  define B2B_END_DECL }
#else
#  define B2B_BEGIN_DECL
#  define B2B_END_DECL
#endif

#endif /* B2B_COMMON_H */
