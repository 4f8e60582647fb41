# pmo_proto_library(<target> PROTOS <files relative to proto/> [DEPS <proto targets>] [GRPC])
#
# Generates C++ (messages, and gRPC stubs with GRPC) from .proto files under the
# repository's proto/ root into the build tree and wraps them in one static library.
# Generated code lives only in the build directory.
set(PMO_PROTO_ROOT ${CMAKE_SOURCE_DIR}/proto CACHE INTERNAL "")
set(PMO_PROTO_OUT ${CMAKE_BINARY_DIR}/gen CACHE INTERNAL "")
find_program(PMO_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

function(pmo_proto_library target)
  cmake_parse_arguments(P "GRPC" "ROOT" "PROTOS;DEPS" ${ARGN})
  if(NOT P_ROOT)
    set(P_ROOT ${PMO_PROTO_ROOT})
  endif()
  file(MAKE_DIRECTORY ${PMO_PROTO_OUT})
  set(srcs)
  set(hdrs)
  foreach(rel ${P_PROTOS})
    get_filename_component(dir ${rel} DIRECTORY)
    get_filename_component(stem ${rel} NAME_WE)
    set(base ${PMO_PROTO_OUT}/${dir}/${stem})
    set(outs ${base}.pb.cc ${base}.pb.h)
    set(plugin_args)
    if(P_GRPC)
      list(APPEND outs ${base}.grpc.pb.cc ${base}.grpc.pb.h)
      set(plugin_args --grpc_out=${PMO_PROTO_OUT} --plugin=protoc-gen-grpc=${PMO_GRPC_CPP_PLUGIN})
    endif()
    add_custom_command(
      OUTPUT ${outs}
      COMMAND protobuf::protoc
        -I${P_ROOT} -I${PMO_PROTO_ROOT}
        --cpp_out=${PMO_PROTO_OUT} ${plugin_args}
        ${P_ROOT}/${rel}
      DEPENDS ${P_ROOT}/${rel} protobuf::protoc
      COMMENT "protoc ${rel}"
      VERBATIM)
    list(FILTER outs INCLUDE REGEX "\\.cc$")
    list(APPEND srcs ${outs})
  endforeach()
  add_library(${target} STATIC ${srcs})
  target_include_directories(${target} PUBLIC ${PMO_PROTO_OUT})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf ${P_DEPS})
  if(P_GRPC)
    target_link_libraries(${target} PUBLIC gRPC::grpc++)
  endif()
  # Generated code is not ours to warn about.
  target_compile_options(${target} PRIVATE -w)
endfunction()
